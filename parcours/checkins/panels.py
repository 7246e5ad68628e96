from __future__ import annotations

from typing import Any

from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.people.access import PersonAccess
from parcours.people.panels import ECHANGES, person_file

from .access import READERS
from .selectors import person_checkins, person_plans, rows

PANEL_SIZE = 5


@person_file.panel(
    key="controle-a-distance", title="Contrôle à distance", order=57, tab=ECHANGES, roles=READERS
)
def checkins(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The person's last check-ins (missed ones flagged) and whether a plan exists (2 queries)."""
    return {
        "show_checkins": True,
        "checkin_person": access.person,
        "checkin_rows": rows(person_checkins(access.person, PANEL_SIZE), timezone.localdate()),
        "checkin_plans": person_plans(access.person),
    }
