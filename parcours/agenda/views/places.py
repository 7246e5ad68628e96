"""Set-up: places with their agendas, and the slot templates of an agenda."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.forms_flow import Saved, form_page, posted

from .. import selectors, services
from ..access import SETUP_ROLES, agenda_door
from ..forms import PlaceForm, SlotTemplateForm
from ..models import Agenda


@allowed(roles=SETUP_ROLES)
def places(request: AuthedRequest) -> HttpResponse:
    rows = selectors.places_with_agendas(request.user)
    return render(request, "agenda/places.html", {"title": "Lieux et agendas", "places": rows})


@allowed(roles=SETUP_ROLES, methods=("GET", "POST"))
def place_create(request: AuthedRequest) -> HttpResponse:
    form = PlaceForm(posted(request), organisations=selectors.organisations_for(request.user))

    def save(form: PlaceForm) -> Saved:
        place = services.create_place(acting_user=request.user, place=form.save(commit=False))
        return Saved(
            reverse("agenda:places"), f"Lieu « {place.name} » créé avec son agenda commun."
        )

    return form_page(request, form, "agenda/place_form.html", {"title": "Nouveau lieu"}, save=save)


@agenda_door(roles=SETUP_ROLES, methods=("GET", "POST"))
def template_create(request: AuthedRequest, agenda: Agenda) -> HttpResponse:
    form = SlotTemplateForm(
        posted(request), initial={"valid_from": timezone.localdate(), "capacity": 1, "duration": 45}
    )

    def save(form: SlotTemplateForm) -> Saved:
        template = form.save(commit=False)
        template.agenda = agenda
        services.save_template(acting_user=request.user, template=template)
        return Saved(
            reverse("agenda:places"), "Modèle de créneau enregistré ; les créneaux sont générés."
        )

    return form_page(
        request,
        form,
        "agenda/template_form.html",
        {
            "title": "Nouveau modèle de créneau",
            "agenda": agenda,
            "templates": agenda.templates.select_related("appointment_type"),
        },
        save=save,
    )
