from datetime import date

from parcours.core.management.nightly import NightlyCommand
from parcours.release.services import nightly
from parcours.release.tasks import nightly_prepare_releases
from parcours.rules.release import AUTO_PREPARE_DAYS


class Command(NightlyCommand):
    help = (
        "Ouvre la préparation à la sortie des personnes dont la libération prévisionnelle est "
        f"dans {AUTO_PREPARE_DAYS} jours ou moins, suit les dates recalculées et coche le premier "
        "rendez-vous au SPIP fixé dans l'agenda. Lancée chaque nuit ; avec --enqueue, confie le "
        "travail au worker de tâches (db_worker)."
    )
    task = nightly_prepare_releases
    queued = "Préparation des sorties mise en file d'attente"
    dated = True

    def run(self, today: date | None, spip_ids: list[int] | None) -> str:
        result = nightly(today, spip_ids=spip_ids)
        return (
            f"Préparation à la sortie : {result.created} liste(s) ouverte(s), "
            f"{result.moved} date(s) suivie(s), {result.ticked} premier(s) rendez-vous coché(s)."
        )
