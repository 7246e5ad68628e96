from datetime import date

from parcours.core.management.nightly import NightlyCommand
from parcours.detention.models import sync_ever_detained
from parcours.detention.situations import refresh_counts
from parcours.detention.tasks import nightly_recompute_sentence_dates


class Command(NightlyCommand):
    help = (
        "Recalcule les dates de la situation pénale des écrous en cours (seules celles dont les "
        "données ont changé sont réécrites). Lancée chaque nuit ; avec --enqueue, confie le "
        "calcul au worker de tâches (db_worker)."
    )
    task = nightly_recompute_sentence_dates
    queued = "Recalcul des dates de situation pénale mis en file d'attente"
    dated = True

    def run(self, today: date | None, spip_ids: list[int] | None) -> str:
        flagged = sync_ever_detained()
        counts = refresh_counts(today=today, spip_ids=spip_ids)
        return (
            "Situations pénales : {ecrous} écrou(s) en cours lu(s), {created} créée(s), "
            "{updated} modifiée(s) (dont {errors} sans date calculable) en {seconds:.2f} s"
        ).format(**counts) + (
            f" ; {flagged} personne(s) marquée(s) écrouée(s)." if flagged else "."
        )
