"""Creates the due check-in rows of every active plan up to today (nightly; idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from parcours.checkins.services import generate_all


class Command(BaseCommand):
    help = "Crée les contrôles à distance arrivés à échéance."

    def handle(self, *args: Any, **options: Any) -> None:
        created = generate_all(today=timezone.localdate())
        self.stdout.write(f"{created} contrôle(s) à distance créé(s).")
