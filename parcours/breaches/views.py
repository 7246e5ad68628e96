"""Manquement pages: record one on a person's file, then the follow-up given to it. Thin: the
doors open the file, `form_page` answers the forms, the services write."""

from __future__ import annotations

from django.http import HttpResponse

from parcours.accounts.http import AuthedRequest
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.measures.access import WRITERS, may_edit_measures
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.models import Person
from parcours.people.panels import person_file_url

from . import prefill, selectors, services
from .access import breach_door
from .forms import BreachForm, FollowUpForm
from .models import FOLLOWUP_FIELDS, Breach

FORM_METHODS = ("GET", "POST")


def _back(person: Person) -> str:
    return person_file_url(person.public_id, "manquements")


@person_door_by_person_id(roles=WRITERS, methods=FORM_METHODS, allow=may_edit_measures)
def breach_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """A manquement; from a missed appointment (`?rdv=`) the form comes prefilled."""
    person = access.person
    initial = prefill.initial_for(request, person) if request.method == "GET" else {}
    form = BreachForm(posted(request), person=person, initial=initial)

    def save(form: BreachForm) -> Saved:
        breach = services.record_breach(
            acting_user=request.user, person=person, breach=form.save(commit=False)
        )
        return Saved(
            _back(person),
            f"Manquement enregistré. Suite proposée : {breach.get_proposed_step_display()}.",
        )

    context = {
        "title": "Enregistrer un manquement",
        "person": person,
        "current_proposals": selectors.proposals_for(person),
    }
    return form_page(request, form, "breaches/breach_form.html", context, save=save)


@breach_door(roles=WRITERS, methods=FORM_METHODS, allow=may_edit_measures)
def breach_followup(request: AuthedRequest, breach: Breach, access: PersonAccess) -> HttpResponse:
    initial = {
        "version": breach.version,
        **{name: getattr(breach, name) for name in FOLLOWUP_FIELDS},
    }
    form = FollowUpForm(posted(request), initial=initial)

    def save(form: FollowUpForm) -> Saved:
        services.update_followup(
            acting_user=request.user,
            breach=breach,
            data=form.cleaned_data,
            expected_version=form.cleaned_data["version"],
        )
        return Saved(_back(access.person), "La suite donnée au manquement est enregistrée.")

    context = {"title": "Suite donnée au manquement", "person": access.person, "breach": breach}
    return form_page(
        request, form, "breaches/followup_form.html", context, save=save, current=breach
    )
