"""The person's data export (right of access), through the person door: the service's
management (DPIP, DFSPIP) of the person's SPIP answers the request (docs/adr/0015)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.core.downloads import document
from parcours.core.forms_flow import posted
from parcours.people.access import PersonAccess, person_door

from .export import export_person
from .forms import AccessRequestForm

ACCESS_ROLES = (Role.DPIP, Role.DFSPIP)


@person_door(roles=ACCESS_ROLES, methods=("GET", "POST"))
def access_export(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = AccessRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        filename, data = export_person(
            acting_user=request.user,
            person=person,
            origin=form.cleaned_data["origin"],
            origin_label=form.origin_label,
            reference=form.cleaned_data["reference"],
        )
        response = document(data, filename, "application/zip", attachment=True)
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "lifecycle/access_export.html",
        {"title": "Droit d'accès", "person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )
