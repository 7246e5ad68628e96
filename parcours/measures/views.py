"""Measure forms: a new measure on a person's file, the edit of one. Thin: the doors open the
file, `form_page` answers the form, the services write."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse

from parcours.accounts.http import AuthedRequest
from parcours.core.forms_flow import Saved, form_page
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.models import IncarcerationPeriod, Person

from . import services
from .access import (
    WRITERS,
    incarceration_door,
    may_edit_measures,
    measure_door,
    measure_door_by_measure_id,
    suspension_door,
)
from .forms import IncarcerationEndForm, IncarcerationForm, MeasureForm, SuspensionForm
from .models import Measure, MeasureSuspension


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


# --- Incarceration periods (on the person) and suspensions (on a measure) -------------------


@person_door_by_person_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def incarceration_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = IncarcerationForm(request.POST if request.method == "POST" else None)

    def save(form: IncarcerationForm) -> Saved:
        services.add_incarceration(
            acting_user=request.user, person=person, period=form.save(commit=False)
        )
        return Saved(
            _back(person, "calendrier"),
            "La période d'incarcération est enregistrée : la fin prévue des mesures est "
            "recalculée.",
        )

    context = {"title": "Nouvelle période d'incarcération", "person": person}
    return form_page(request, form, "measures/period_form.html", context, save=save)


@incarceration_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def incarceration_edit(
    request: AuthedRequest, period: IncarcerationPeriod, access: PersonAccess
) -> HttpResponse:
    form = IncarcerationForm(request.POST if request.method == "POST" else None, instance=period)

    def save(form: IncarcerationForm) -> Saved:
        services.update_incarceration(
            acting_user=request.user,
            period=form.save(commit=False),
            changed=form.changed_data,
            expected_version=form.cleaned_data.get("version"),
        )
        return Saved(
            _back(access.person, "calendrier"), "La période d'incarcération est mise à jour."
        )

    context = {"title": "Modifier la période d'incarcération", "person": access.person}
    return form_page(request, form, "measures/period_form.html", context, save=save, current=period)


@incarceration_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def incarceration_end(
    request: AuthedRequest, period: IncarcerationPeriod, access: PersonAccess
) -> HttpResponse:
    if period.end is not None:
        raise Http404("Cette incarcération est déjà terminée.")
    form = IncarcerationEndForm(request.POST if request.method == "POST" else None, period=period)

    def save(form: IncarcerationEndForm) -> Saved:
        period.end = form.cleaned_data["end"]
        services.update_incarceration(
            acting_user=request.user,
            period=period,
            changed=["end"],
            expected_version=form.cleaned_data.get("version"),
        )
        return Saved(_back(access.person, "calendrier"), "La libération est enregistrée.")

    context = {
        "title": "Fin de l'incarcération",
        "person": access.person,
        "period": period,
    }
    return form_page(request, form, "measures/period_form.html", context, save=save, current=period)


@measure_door_by_measure_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def suspension_create(
    request: AuthedRequest, measure: Measure, access: PersonAccess
) -> HttpResponse:
    form = SuspensionForm(request.POST if request.method == "POST" else None)

    def save(form: SuspensionForm) -> Saved:
        services.add_suspension(
            acting_user=request.user, measure=measure, suspension=form.save(commit=False)
        )
        return Saved(_back(access.person, "calendrier"), "La suspension est enregistrée.")

    context = {"title": f"Nouvelle suspension — {measure.measure_type}", "person": access.person}
    return form_page(request, form, "measures/period_form.html", context, save=save)


@suspension_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def suspension_edit(
    request: AuthedRequest, suspension: MeasureSuspension, access: PersonAccess
) -> HttpResponse:
    form = SuspensionForm(request.POST if request.method == "POST" else None, instance=suspension)

    def save(form: SuspensionForm) -> Saved:
        services.update_suspension(
            acting_user=request.user,
            suspension=form.save(commit=False),
            person=access.person,
            changed=form.changed_data,
            expected_version=form.cleaned_data.get("version"),
        )
        return Saved(_back(access.person, "calendrier"), "La suspension est mise à jour.")

    context = {"title": "Modifier la suspension", "person": access.person}
    return form_page(
        request, form, "measures/period_form.html", context, save=save, current=suspension
    )
