"""The base of the nightly recomputation commands (`recompute_alerts`, `recompute_compliance`):
run the computation here and print its counts, or with `--enqueue` hand its task to the task
worker (db_worker); with `dated`, `--date` computes as on another day (a missed night)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class NightlyCommand(BaseCommand):
    task: Any  # the django-tasks task that runs the same computation
    queued: str  # "Recalcul des alertes mis en file d'attente"
    dated = False

    def run(self, today: date | None) -> str:
        """Runs the computation; returns the French report line."""
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        if self.dated:
            parser.add_argument(
                "--date",
                help="Calcule comme si l'on était ce jour-là (AAAA-MM-JJ) : rattrapage d'une "
                "nuit manquée, ou essais.",
            )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Met la tâche en file d'attente au lieu de la lancer ici.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = self.task.enqueue()
            self.stdout.write(f"{self.queued} (tâche {result.id}).")
            return
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from None
        self.stdout.write(self.run(today))
