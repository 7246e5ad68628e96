from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.obligations.compliance import refresh_compliance


class Command(BaseCommand):
    help = (
        "Recalcule le suivi des obligations (à jour, justificatif attendu, en retard, "
        "manquement) de toutes les personnes. Lancée chaque nuit ; avec --enqueue, confie le "
        "calcul au worker de tâches (db_worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Calcule comme si l'on était ce jour-là (AAAA-MM-JJ) : rattrapage d'une nuit "
            "manquée, ou essais.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Met la tâche en file d'attente au lieu de la lancer ici.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from parcours.obligations.tasks import nightly_recompute_compliance

            result = nightly_recompute_compliance.enqueue()
            self.stdout.write(
                f"Recalcul du suivi des obligations mis en file d'attente (tâche {result.id})."
            )
            return
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from None
        counts = refresh_compliance(today=today)
        self.stdout.write(
            "Suivi des obligations recalculé : {obligations} obligation(s), {people} personne(s) "
            "({a_jour} à jour, {justificatif_attendu} justificatif attendu, {en_retard} en "
            "retard, {manquement} manquement, {sans_objet} sans objet) — "
            "{obligations_updated} obligation(s) et {people_updated} personne(s) modifiée(s) "
            "en {seconds:.2f} s.".format(**counts)
        )
