"""The person file's "Manquements" panel and the next step proposed for them (one query)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules.breaches import BreachFact, propose_next_step

RECENT = 20


@person_file.panel(
    key="manquements", title="Manquements", template="breaches/person_breaches.html", order=40
)
def breaches(request: Any, access: PersonAccess) -> dict[str, Any]:
    # The measure is linked by its public id only (the incident report's link).
    rows = list(
        access.person.breaches.select_related("measure").only(
            "person",
            "public_id",
            "occurred_on",
            "kind",
            "serious",
            "facts",
            "proposed_step",
            "chosen_step",
            "followup_status",
            "followup_done_on",
            "measure__public_id",
        )[:RECENT]
    )
    return {
        "breaches": rows,
        "breach_proposal": propose_next_step(
            [BreachFact(b.occurred_on, b.serious) for b in rows], timezone.localdate()
        ),
    }
