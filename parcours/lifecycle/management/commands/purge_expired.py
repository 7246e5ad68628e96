"""`manage.py purge_expired [--dry-run] [--today YYYY-MM-DD]`: the retention purge
(parcours.lifecycle.purge), nightly from the scheduler; prints what was (or would be) removed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from parcours.lifecycle.purge import purge_expired


class Command(BaseCommand):
    help = "Purge les dossiers dont la durée de conservation est échue (ou simule avec --dry-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Simuler sans rien modifier.")
        parser.add_argument("--today", help="Date de référence AAAA-MM-JJ (défaut : aujourd'hui).")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("today")
        if raw:
            try:
                today = date.fromisoformat(raw)
            except ValueError:
                raise CommandError("Date invalide : attendu AAAA-MM-JJ.") from None
        else:
            today = timezone.localdate()
        report = purge_expired(today, dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
