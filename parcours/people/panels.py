"""The person file, composed of panels.

`person_file` is the panel set of the person page: each app contributes its sections (measures
and obligations, alerts, ledgers, manquements, appointments, messages, notes, reports; the
prison side the same way) by decorating a function with `person_file.panel(...)` and naming it
on its AppConfig (`person_file_panels`). A panel receives the request and the `PersonAccess`
opened by `person_door` (scope, motif, journal already applied): it reads only what belongs to
`access.person`, in a constant number of queries (tests/test_query_budgets.py), and returns its
template's context, or None to stay hidden (a role that may not see it).

Order: main column 10 alerts, 20 measures, 30 ledgers, 40 manquements, 50 appointments,
60 messages, 70 notes, 80 reports, 90 history; side column 10 identity, 20 addresses.
"""

from __future__ import annotations

from typing import Any

from parcours.core.panels import PanelSet

from .access import PersonAccess

person_file = PanelSet("person_file")

HISTORY_SIZE = 20


@person_file.panel(
    key="identite",
    title="Identité",
    template="people/panels/identity.html",
    order=10,
    column="side",
)
def identity(request: Any, access: PersonAccess) -> dict[str, Any]:
    addresses = list(access.person.addresses.all()[:HISTORY_SIZE])
    return {
        "addresses": addresses,
        "current_address": next((a for a in addresses if a.until is None), None),
    }


@person_file.panel(
    key="historique", title="Historique", template="people/panels/history.html", order=90
)
def history(request: Any, access: PersonAccess) -> dict[str, Any]:
    assignments = access.person.assignments.select_related("cpip").only(
        "person", "started_at", "ended_at", "reason", "cpip__first_name", "cpip__last_name"
    )
    return {"assignments": list(assignments[:HISTORY_SIZE])}
