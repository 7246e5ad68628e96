from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from parcours.accounts.http import AuthedRequest
from parcours.notes.access import reads_notes, visible_notes
from parcours.people.access import (
    COURT_ROLES,
    SPIP_ROLES,
    PersonAccess,
    person_door_by_person_id,
)

from .selectors import KINDS, person_timeline

READERS = (*SPIP_ROLES, *COURT_ROLES)  # whoever may open the person file


@person_door_by_person_id(roles=READERS)
def person_timeline_view(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """The person's chronology; the case notes only for those who read them."""
    user = request.user
    notes = visible_notes(user, access) if reads_notes(user) else None
    kinds = KINDS if notes is not None else {k: v for k, v in KINDS.items() if k != "note"}
    chosen = {k for k in request.GET.getlist("type") if k in kinds}
    return render(
        request,
        "timeline/person_timeline.html",
        {
            "title": f"Chronologie — {access.person}",
            "person": access.person,
            "events": person_timeline(access.person, chosen or None, notes=notes),
            "kinds": kinds,
            "chosen": chosen,
        },
    )
