from datetime import date

from parcours.core.management.nightly import NightlyCommand
from parcours.obligations.compliance import refresh_compliance
from parcours.obligations.tasks import nightly_recompute_compliance


class Command(NightlyCommand):
    help = (
        "Recalcule le suivi des obligations (à jour, justificatif attendu, en retard, "
        "justificatif manquant, manquement) de toutes les personnes. Lancée chaque nuit ; "
        "avec --enqueue, confie le calcul au worker de tâches (db_worker)."
    )
    task = nightly_recompute_compliance
    queued = "Recalcul du suivi des obligations mis en file d'attente"
    dated = True

    def run(self, today: date | None, spip_ids: list[int] | None) -> str:
        return (
            "Suivi des obligations recalculé : {obligations} obligation(s), {people} personne(s) "
            "({a_jour} à jour, {justificatif_attendu} justificatif attendu, {en_retard} en "
            "retard, {sans_justificatif} justificatif manquant, {manquement} manquement, "
            "{sans_objet} sans objet) — "
            "{obligations_updated} obligation(s) et {people_updated} personne(s) modifiée(s) "
            "en {seconds:.2f} s.".format(**refresh_compliance(today=today, spip_ids=spip_ids))
        )
