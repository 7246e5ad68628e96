"""Measure forms: a new measure on a person's file, the edit of one. Thin: the doors open the
file, `form_page` answers the form, the services write."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse

from parcours.accounts.http import AuthedRequest
from parcours.core.forms_flow import Saved, form_page
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.models import Person

from . import services
from .access import WRITERS, may_edit_measures, measure_door
from .forms import MeasureForm
from .models import Measure


def _back(person: Person, anchor: str = "mesures") -> str:
    """The person file at the section of the measures (or another anchor)."""
    return reverse("people:detail", args=[person.public_id]) + f"#{anchor}"


@person_door_by_person_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def measure_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = MeasureForm(request.POST if request.method == "POST" else None)

    def save(form: MeasureForm) -> Saved:
        services.add_measure(
            acting_user=request.user, person=person, measure=form.save(commit=False)
        )
        return Saved(_back(person), "La mesure est enregistrée.")

    context = {"title": "Nouvelle mesure", "person": person}
    return form_page(request, form, "measures/measure_form.html", context, save=save)


@measure_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def measure_edit(request: AuthedRequest, measure: Measure, access: PersonAccess) -> HttpResponse:
    form = MeasureForm(request.POST if request.method == "POST" else None, instance=measure)

    def save(form: MeasureForm) -> Saved:
        services.update_measure(
            acting_user=request.user,
            measure=form.save(commit=False),
            changed=form.changed_data,
            expected_version=form.cleaned_data.get("version"),
        )
        return Saved(_back(access.person), "La mesure est mise à jour.")

    context = {
        "title": f"Modifier — {measure.measure_type}",
        "person": access.person,
        "measure": measure,
    }
    return form_page(
        request, form, "measures/measure_form.html", context, save=save, current=measure
    )
