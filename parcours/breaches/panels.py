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
    rows = list(access.person.breaches.select_related("measure__measure_type")[:RECENT])
    return {
        "breaches": rows,
        "breach_proposal": propose_next_step(
            [BreachFact(b.occurred_on, b.serious) for b in rows], timezone.localdate()
        ),
    }
