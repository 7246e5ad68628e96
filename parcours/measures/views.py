"""Measure forms: a new measure on a person's file, the edit of one. Thin: the doors open the
file, `form_page` answers the form, the services write."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from parcours.accounts.http import AuthedRequest
from parcours.core.forms_flow import posted, versioned_edit
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.models import IncarcerationPeriod, Person
from parcours.people.pages import file_form_page
from parcours.people.panels import person_file_url

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
    return person_file_url(person.public_id, anchor)


# The form of a measure: back to the person file's measures.
_measure_page = partial(file_form_page, template="measures/measure_form.html", anchor="mesures")


@person_door_by_person_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def measure_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    return _measure_page(
        request,
        MeasureForm(posted(request)),
        person,
        "Nouvelle mesure",
        lambda form: services.add_measure(
            acting_user=request.user, person=person, measure=form.save(commit=False)
        ),
        "La mesure est enregistrée.",
    )


@measure_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def measure_edit(request: AuthedRequest, measure: Measure, access: PersonAccess) -> HttpResponse:
    return _measure_page(
        request,
        MeasureForm(posted(request), instance=measure),
        access.person,
        f"Modifier — {measure.measure_type}",
        lambda form: services.update_measure(
            acting_user=request.user,
            measure=form.save(commit=False),
            **versioned_edit(form),
        ),
        "La mesure est mise à jour.",
        current=measure,
        measure=measure,
    )


# --- Incarceration periods (on the person) and suspensions (on a measure) -------------------

PERIOD_TEMPLATE = "measures/period_form.html"


# The form of a span of the timeline (an incarceration, a suspension): back to the calendar.
_period_page = partial(file_form_page, template=PERIOD_TEMPLATE, anchor="calendrier")


@person_door_by_person_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def incarceration_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    return _period_page(
        request,
        IncarcerationForm(posted(request)),
        person,
        "Nouvelle période d'incarcération",
        lambda form: services.add_incarceration(
            acting_user=request.user, person=person, period=form.save(commit=False)
        ),
        "La période d'incarcération est enregistrée : la fin prévue des mesures est recalculée.",
    )


def _held_by_ecrou(request: AuthedRequest, period: IncarcerationPeriod) -> bool:
    """A period the detention record keeps in step with an écrou is edited there: say so."""
    if not services.held_by_ecrou(period):
        return False
    messages.info(request, services.HELD_BY_ECROU)
    return True


@incarceration_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def incarceration_edit(
    request: AuthedRequest, period: IncarcerationPeriod, access: PersonAccess
) -> HttpResponse:
    if _held_by_ecrou(request, period):
        return redirect(_back(access.person, "calendrier"))
    return _period_page(
        request,
        IncarcerationForm(posted(request), instance=period),
        access.person,
        "Modifier la période d'incarcération",
        lambda form: services.update_incarceration(
            acting_user=request.user,
            period=form.save(commit=False),
            **versioned_edit(form),
        ),
        "La période d'incarcération est mise à jour.",
        current=period,
    )


@incarceration_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def incarceration_end(
    request: AuthedRequest, period: IncarcerationPeriod, access: PersonAccess
) -> HttpResponse:
    if _held_by_ecrou(request, period):
        return redirect(_back(access.person, "calendrier"))
    if period.end is not None:
        # A second click, or a colleague recorded it meanwhile: nothing to do, say so.
        messages.info(
            request,
            f"Cette incarcération est déjà terminée (libération le {period.end:%d/%m/%Y}).",
        )
        return redirect(_back(access.person, "calendrier"))

    def write(form: IncarcerationEndForm) -> None:
        period.end = form.cleaned_data["end"]
        services.update_incarceration(
            acting_user=request.user,
            period=period,
            changed=["end"],
            expected_version=form.cleaned_data.get("version"),
        )

    return _period_page(
        request,
        IncarcerationEndForm(posted(request), period=period),
        access.person,
        "Fin de l'incarcération",
        write,
        "La libération est enregistrée.",
        current=period,
        period=period,
    )


@measure_door_by_measure_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def suspension_create(
    request: AuthedRequest, measure: Measure, access: PersonAccess
) -> HttpResponse:
    return _period_page(
        request,
        SuspensionForm(posted(request)),
        access.person,
        f"Nouvelle suspension — {measure.measure_type}",
        lambda form: services.add_suspension(
            acting_user=request.user, measure=measure, suspension=form.save(commit=False)
        ),
        "La suspension est enregistrée.",
    )


@suspension_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def suspension_edit(
    request: AuthedRequest, suspension: MeasureSuspension, access: PersonAccess
) -> HttpResponse:
    return _period_page(
        request,
        SuspensionForm(posted(request), instance=suspension),
        access.person,
        "Modifier la suspension",
        lambda form: services.update_suspension(
            acting_user=request.user,
            suspension=form.save(commit=False),
            person=access.person,
            **versioned_edit(form),
        ),
        "La suspension est mise à jour.",
        current=suspension,
    )
