"""Puts back in the queue the tasks left RUNNING by a killed worker (past their lease)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from parcours.core.scheduler import reclaim_stale_tasks


class Command(BaseCommand):
    help = "Remet en file les tâches restées « en cours » après l'arrêt brutal d'un worker."

    def handle(self, *args: Any, **options: Any) -> None:
        lease = timedelta(seconds=settings.PARCOURS_TASK_LEASE_SECONDS)
        counts = reclaim_stale_tasks(timezone.now(), lease)
        self.stdout.write(
            f"{counts['requeued']} tâche(s) remise(s) en file, {counts['failed']} abandonnée(s)."
        )
