"""The person file's "Manquements" panel and the next step proposed for each current measure
(one query)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parcours.people.access import PersonAccess
from parcours.people.panels import SUIVI, person_file
from parcours.rules.vocabulary import FollowUpStatus

from .selectors import proposals_from

RECENT = 20
# A follow-up still "à faire" after this many days shows how long it has waited.
WAITING_SHOWN_AFTER_DAYS = 7


@person_file.panel(key="manquements", title="Manquements", order=40, tab=SUIVI)
def breaches(request: Any, access: PersonAccess) -> dict[str, Any]:
    # All the person's manquements in one query (a handful per person): the recent ones are
    # listed, those of the current measures feed the proposals, counted per measure.
    rows = list(
        access.person.breaches.select_related(
            "measure__measure_type", "obligation__obligation_type"
        )
    )
    today = timezone.localdate()
    for row in rows[:RECENT]:
        waited = (today - timezone.localdate(row.created_at)).days
        pending = row.followup_status == FollowUpStatus.A_FAIRE
        row.waiting_days = waited if pending and waited > WAITING_SHOWN_AFTER_DAYS else 0
    return {"breaches": rows[:RECENT], "breach_proposals": proposals_from(rows)}
