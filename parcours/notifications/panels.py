from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parcours.people.access import PersonAccess
from parcours.people.panels import person_file

from .access import OUTBOX_ROLES
from .services import person_messages, sms_possible

PANEL_SIZE = 5


@person_file.panel(
    key="messages",
    title="Messages",
    template="notifications/includes/person_panel.html",
    order=60,
)
def messages(request: HttpRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The person's last messages and their state (one query), for the SPIP's staff."""
    if getattr(request.user, "role", None) not in OUTBOX_ROLES:
        return None
    return {
        "show_person_messages": True,
        "person_messages": person_messages(access.person, PANEL_SIZE),
        "person_sms_problem": sms_possible(access.person),
    }
