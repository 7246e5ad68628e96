import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parcours.agenda.models import Agenda
from parcours.agenda.services import GENERATION_DAYS, generate_agenda_slots


class Command(BaseCommand):
    help = (
        "Crée les créneaux manquants des modèles de créneaux de chaque agenda actif, sur les "
        "prochains jours (120 par défaut). Idempotente ; lancée chaque nuit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=GENERATION_DAYS, help="Horizon en jours (1 à 400)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if not 1 <= days <= 400:
            self.stderr.write("L'horizon doit être compris entre 1 et 400 jours.")
            raise SystemExit(2)
        started = time.monotonic()
        agendas = Agenda.objects.filter(is_active=True, templates__is_active=True).distinct()
        created = 0
        count = 0
        for agenda in agendas.select_related("place__spip"):
            created += generate_agenda_slots(agenda, days=days)
            count += 1
        self.stdout.write(
            f"Créneaux générés : {created} nouveau(x) pour {count} agenda(s) "
            f"en {time.monotonic() - started:.2f} s."
        )
