from datetime import date

from parcours.alerts.services import recompute_alerts
from parcours.alerts.tasks import nightly_recompute_alerts
from parcours.core.management.nightly import NightlyCommand


class Command(NightlyCommand):
    help = (
        "Recalcule les alertes (échéances légales des mesures en cours). Lancée chaque nuit ; "
        "avec --enqueue, confie le calcul au worker de tâches (db_worker)."
    )
    task = nightly_recompute_alerts
    queued = "Recalcul des alertes mis en file d'attente"

    def run(self, today: date | None, spip_ids: list[int] | None) -> str:
        return (
            "Alertes recalculées : {measures} mesure(s) en cours, {total} alerte(s) "
            "({depassee} dépassée(s), {imminente} imminente(s), {a_venir} à venir) — "
            "{created} créée(s), {updated} modifiée(s), {deleted} supprimée(s) "
            "en {seconds:.2f} s.".format(**recompute_alerts(today, spip_ids=spip_ids))
        )
