from __future__ import annotations

from typing import Any

from parcours.accounts.http import AuthedRequest
from parcours.people.access import PersonAccess
from parcours.people.panels import ECRITS, person_file

from .access import NOTE_MOTIFS, NOTE_ROLES, reads_notes, visible_notes

PANEL_SIZE = 5


@person_file.panel(key="notes", title="Notes de suivi", order=70, tab=ECRITS, roles=NOTE_ROLES)
def notes(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The last notes of the person the user may read: one query, none for a role that does not
    read notes (JAP, greffe, secrétariat)."""
    user = request.user
    if not reads_notes(user) or access.motif not in NOTE_MOTIFS:
        return None
    notes = list(
        visible_notes(user, access)
        .select_related("author")
        .only(
            "public_id",
            "event_date",
            "kind",
            "sensitive",
            "body_text",
            "author__first_name",
            "author__last_name",
            "author__username",
        )
        .order_by("-event_date", "-pk")[:PANEL_SIZE]
    )
    return {"notes_panel": {"notes": notes}}
