from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from parcours.core.permissions import require_roles
from parcours.notes.access import reads_notes, visible_notes
from parcours.people.access import COURT_ROLES, SPIP_ROLES, MotifRequired, get_person_for

from .events import KINDS, person_timeline

READERS = (*SPIP_ROLES, *COURT_ROLES)  # whoever may open the person file


@require_roles(*READERS)
@require_GET
def person_timeline_view(request: HttpRequest, person_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, person_id)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    notes = visible_notes(request.user, access) if reads_notes(request.user) else None  # type: ignore[arg-type]
    kinds = KINDS if notes is not None else {k: v for k, v in KINDS.items() if k != "note"}
    chosen = {k for k in request.GET.getlist("type") if k in kinds}
    events = person_timeline(access.person, chosen or None, notes=notes)
    return render(
        request,
        "timeline/person_timeline.html",
        {
            "title": f"Chronologie — {access.person}",
            "person": access.person,
            "events": events,
            "kinds": kinds,
            "chosen": chosen,
        },
    )
