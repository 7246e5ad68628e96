from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parcours.alerts.services import recompute_alerts


class Command(BaseCommand):
    help = (
        "Recalcule les alertes (échéances légales des mesures en cours). Lancée chaque nuit ; "
        "avec --enqueue, confie le calcul au worker de tâches (db_worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Met la tâche en file d'attente au lieu de la lancer ici.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from parcours.alerts.tasks import nightly_recompute_alerts

            result = nightly_recompute_alerts.enqueue()
            self.stdout.write(f"Recalcul des alertes mis en file d'attente (tâche {result.id}).")
            return
        counts = recompute_alerts()
        self.stdout.write(
            "Alertes recalculées : {measures} mesure(s) en cours, {total} alerte(s) "
            "({depassee} dépassée(s), {imminente} imminente(s), {a_venir} à venir) — "
            "{created} créée(s), {updated} modifiée(s), {deleted} supprimée(s) "
            "en {seconds:.2f} s.".format(**counts)
        )
