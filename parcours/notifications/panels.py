from __future__ import annotations

from typing import Any

from parcours.accounts.http import AuthedRequest
from parcours.people.access import PersonAccess
from parcours.people.panels import ECHANGES, person_file

from .access import INBOUND_ROLES, OUTBOX_ROLES
from .selectors import person_inbound, person_messages
from .services import sms_possible

PANEL_SIZE = 5


@person_file.panel(key="messages", title="Messages", order=60, tab=ECHANGES, roles=OUTBOX_ROLES)
def messages(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The person's last messages and their state (one query), for the SPIP's staff."""
    return {
        "show_person_messages": True,
        "person_messages": person_messages(access.person, PANEL_SIZE),
        "person_sms_problem": sms_possible(access.person),
    }


@person_file.panel(key="sms-recus", title="SMS reçus", order=61, tab=ECHANGES, roles=INBOUND_ROLES)
def inbound(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The last SMS received from the person (one query), for the SPIP's staff."""
    rows = person_inbound(access.person, PANEL_SIZE)
    return {"show_person_inbound": True, "person_inbound": rows}
