"""The base of the nightly recomputation commands (`recompute_alerts`, `recompute_compliance`):
run the computation here and print its counts, or with `--enqueue` hand its task to the task
worker (db_worker); with `dated`, `--date` computes as on another day (a missed night);
`--zone` computes only the people of the SPIP in that time zone (the scheduler runs each
zone at its own night: core.scheduler)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string


class NightlyCommand(BaseCommand):
    task: Any  # the django-tasks task that runs the same computation
    queued: str  # "Recalcul des alertes mis en file d'attente"
    dated = False

    def run(self, today: date | None, spip_ids: list[int] | None) -> str:
        """Runs the computation (for the people of `spip_ids` only, when given); returns the
        French report line."""
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        if self.dated:
            parser.add_argument(
                "--date",
                help="Calcule comme si l'on était ce jour-là (AAAA-MM-JJ) : rattrapage d'une "
                "nuit manquée, ou essais.",
            )
        parser.add_argument(
            "--zone",
            help="Seulement les personnes suivies par les SPIP de ce fuseau horaire "
            "(ex. Pacific/Noumea) : le recalcul de la nuit de ce fuseau.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Met la tâche en file d'attente au lieu de la lancer ici.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        spip_ids = None
        if options.get("zone"):
            spip_ids = import_string(settings.PARCOURS_ZONE_SPIPS)(options["zone"])
            if not spip_ids:
                raise CommandError(f"Aucun SPIP dans le fuseau horaire « {options['zone']} ».")
        if options["enqueue"]:
            result = self.task.enqueue(spip_ids=spip_ids)
            self.stdout.write(f"{self.queued} (tâche {result.id}).")
            return
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from None
        self.stdout.write(self.run(today, spip_ids))
