"""`manage.py purge_space_logs`: deletes the person's space sign-in codes, sign-in log and ended
sessions past their retention (parcours.lifecycle.space_logs). Nightly (PARCOURS_SCHEDULE)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from parcours.lifecycle.space_logs import purge_space_logs


class Command(BaseCommand):
    help = "Supprime les codes, tentatives et sessions de l'espace personnel échus."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = purge_space_logs(timezone.now())
        self.stdout.write(
            f"Espace personnel : {counts['codes']} code(s), {counts['tentatives']} tentative(s) "
            f"et {counts['sessions']} session(s) supprimés."
        )
