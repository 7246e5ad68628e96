"""The person file, composed of panels.

`person_file` is the panel set of the person page: each app contributes its sections (measures
and obligations, alerts, ledgers, manquements, appointments, messages, notes, reports; the
prison side the same way) by decorating a function with `person_file.panel(...)` and naming it
on its AppConfig (`person_file_panels`). A panel receives the request and the `PersonAccess`
opened by `person_door` (scope, motif, journal already applied): it reads only what belongs to
`access.person`, in a constant number of queries (tests/test_query_budgets.py), and returns its
template's context, or None to stay hidden. A panel for some roles only names them
(`roles=...`): the others do not see it, and it runs no query for them.

Tabs (docs/adr/0018-person-file-tabs.md): the file is read one tab at a time, each its own URL
(`people:detail` is the first, `people:tab` the others), so a tab costs only its panels' queries
and a CPIP finds a section without scrolling through twenty. A panel names its tab
(`tab="ecrits"`); without one it is on the Synthèse. `person_file_url(person, key)` is the
address of a panel wherever it lives (links and redirects use it, never a bare anchor).

Order: main column 10 alerts, 20 measures, 30 ledgers, 40 manquements, 50 appointments,
60 messages, 70 notes, 80 reports, 90 history; side column 10 identity, 20 addresses.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse

from parcours.core.panels import PanelSet, Tab
from parcours.core.prepared import prepared

from .access import PersonAccess
from .models import Address

SYNTHESE = "synthese"
SUIVI = "suivi"
ACCOMPAGNEMENT = "accompagnement"
ECHANGES = "echanges"
ECRITS = "ecrits"
DETENTION = "detention"

person_file = PanelSet(
    "person_file",
    tabs=(
        Tab(SYNTHESE, "Synthèse"),
        Tab(SUIVI, "Suivi de la mesure"),
        Tab(ACCOMPAGNEMENT, "Accompagnement"),
        Tab(ECHANGES, "Échanges"),
        Tab(ECRITS, "Notes et rapports"),
        Tab(DETENTION, "Détention"),
    ),
)


def tab_url(person_public_id: UUID | str, slug: str) -> str:
    if slug == person_file.default_tab:
        return reverse("people:detail", args=[person_public_id])
    return reverse("people:tab", args=[person_public_id, slug])


def person_file_url(person_public_id: UUID | str, key: str) -> str:
    """Where the panel `key` of a person's file is shown: its tab's address and its anchor."""
    return f"{tab_url(person_public_id, person_file.tab_of_key(key))}#{key}"


HISTORY_SIZE = 20


@prepared
def addresses_of(*, person_id: int) -> QuerySet[Address]:
    """The person's last addresses, the current one first."""
    return Address.objects.filter(person_id=person_id)[:HISTORY_SIZE]


@person_file.panel(key="identite", title="Identité", order=10, column="side")
def identity(request: Any, access: PersonAccess) -> dict[str, Any]:
    addresses = addresses_of(person_id=access.person.pk)
    return {
        "addresses": addresses,
        "current_address": next((a for a in addresses if a.until is None), None),
    }


@person_file.panel(key="historique", title="Historique", order=90, tab=SUIVI)
def history(request: Any, access: PersonAccess) -> dict[str, Any]:
    assignments = access.person.assignments.select_related("cpip").only(
        "person", "started_at", "ended_at", "reason", "cpip__first_name", "cpip__last_name"
    )
    return {"assignments": list(assignments[:HISTORY_SIZE])}
