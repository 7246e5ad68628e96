"""Registre pages: open a TIG or compensation ledger on a measure, record hours and payments,
correct a ledger. Thin: the doors open the file, `form_page` answers the forms (409 on a stale
ledger), the services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.measures.access import WRITERS, may_edit_measures, measure_door_by_measure_id
from parcours.measures.models import Measure
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file_url

from . import selectors, services
from .access import compensation_ledger_door, tig_ledger_door, tig_session_door
from .forms import (
    CompensationLedgerEditForm,
    CompensationLedgerForm,
    CompensationPaymentForm,
    TigLedgerEditForm,
    TigLedgerForm,
    TigSessionForm,
)
from .models import CompensationLedger, TigLedger, TigSession

TIG_CODE = "tig"
FORM_METHODS = ("GET", "POST")
WRITE_DOOR: dict[str, Any] = {
    "roles": WRITERS,
    "methods": FORM_METHODS,
    "allow": may_edit_measures,
}


def _back(access: PersonAccess) -> str:
    return person_file_url(access.person.public_id, "registres")


def _ledger_page(
    request: AuthedRequest,
    access: PersonAccess,
    form: forms.BaseForm,
    template: str,
    context: dict[str, Any],
    write: Callable[[Any], str],
    current: TigLedger | CompensationLedger | None = None,
) -> HttpResponse:
    """The form page of a registre: `write(form)` calls the service and returns the message;
    then back to the person file's registres."""

    def save(form: Any) -> Saved:
        return Saved(_back(access), write(form))

    return form_page(
        request, form, template, {"person": access.person, **context}, save=save, current=current
    )


@measure_door_by_measure_id(**WRITE_DOOR)
def tig_create(request: AuthedRequest, measure: Measure, access: PersonAccess) -> HttpResponse:
    if measure.measure_type.code != TIG_CODE:
        raise Http404("Cette mesure n'est pas un travail d'intérêt général.")
    if selectors.has_tig_ledger(measure):
        messages.info(request, "Le registre de TIG de cette mesure est déjà ouvert.")
        return redirect(_back(access))
    form = TigLedgerForm(posted(request), initial={"enforceable_from": measure.start_date})

    def write(form: TigLedgerForm) -> str:
        services.create_tig_ledger(
            acting_user=request.user, measure=measure, ledger=form.save(commit=False)
        )
        return "Registre de TIG ouvert."

    context = {"title": "Ouvrir le registre de TIG", "measure": measure}
    return _ledger_page(request, access, form, "ledgers/tig_ledger_form.html", context, write)


@tig_ledger_door(**WRITE_DOOR)
def tig_session_add(
    request: AuthedRequest, ledger: TigLedger, access: PersonAccess
) -> HttpResponse:
    form = TigSessionForm(posted(request), ledger=ledger)

    def write(form: TigSessionForm) -> str:
        session = services.add_tig_session(
            acting_user=request.user, ledger=ledger, session=form.save(commit=False)
        )
        return f"Séance de TIG enregistrée : {session}."

    context = {"title": "Enregistrer des heures de TIG", "ledger": ledger}
    return _ledger_page(request, access, form, "ledgers/tig_session_form.html", context, write)


def _edit_ledger(
    request: AuthedRequest,
    ledger: TigLedger | CompensationLedger,
    access: PersonAccess,
    form: forms.ModelForm,
    title: str,
    update: Callable[..., Any],
) -> HttpResponse:
    """Edit page of a ledger with optimistic locking: a stale save is a 409 showing the saved
    version (its `summary`) while keeping the user's input."""

    def write(form: forms.ModelForm) -> str:
        update(
            acting_user=request.user,
            ledger=form.save(commit=False),
            expected_version=form.cleaned_data["version"],
        )
        return f"{title} : enregistré."

    context = {"title": title, "measure": ledger.measure}
    return _ledger_page(
        request, access, form, "ledgers/ledger_edit_form.html", context, write, current=ledger
    )


@tig_ledger_door(**WRITE_DOOR)
def tig_edit(request: AuthedRequest, ledger: TigLedger, access: PersonAccess) -> HttpResponse:
    form = TigLedgerEditForm(posted(request), instance=ledger, initial={"version": ledger.version})
    return _edit_ledger(
        request, ledger, access, form, "Modifier le registre de TIG", services.update_tig_ledger
    )


@compensation_ledger_door(**WRITE_DOOR)
def compensation_edit(
    request: AuthedRequest, ledger: CompensationLedger, access: PersonAccess
) -> HttpResponse:
    form = CompensationLedgerEditForm(
        posted(request), instance=ledger, initial={"version": ledger.version}
    )
    return _edit_ledger(
        request,
        ledger,
        access,
        form,
        "Modifier le registre d'indemnisation",
        services.update_compensation_ledger,
    )


@measure_door_by_measure_id(**WRITE_DOOR)
def compensation_create(
    request: AuthedRequest, measure: Measure, access: PersonAccess
) -> HttpResponse:
    form = CompensationLedgerForm(
        posted(request), initial={"decided_on": measure.judgment_date, "installments": 12}
    )

    def write(form: CompensationLedgerForm) -> str:
        services.create_compensation_ledger(
            acting_user=request.user,
            measure=measure,
            ledger=form.save(commit=False),
            schedule=form.schedule,
        )
        return "Registre d'indemnisation ouvert avec son échéancier."

    context = {
        "title": "Ouvrir un registre d'indemnisation",
        "measure": measure,
        "button": "Ouvrir le registre",
    }
    return _ledger_page(request, access, form, "ledgers/compensation_form.html", context, write)


@compensation_ledger_door(**WRITE_DOOR)
def compensation_payment(
    request: AuthedRequest, ledger: CompensationLedger, access: PersonAccess
) -> HttpResponse:
    form = CompensationPaymentForm(
        posted(request), ledger=ledger, initial={"paid_on": timezone.localdate()}
    )

    def write(form: CompensationPaymentForm) -> str:
        payment = services.add_compensation_payment(
            acting_user=request.user, ledger=ledger, payment=form.save(commit=False)
        )
        return f"Versement enregistré : {payment}."

    context = {
        "title": "Enregistrer un versement",
        "measure": ledger.measure,
        "ledger": ledger,
        "button": "Enregistrer le versement",
    }
    return _ledger_page(request, access, form, "ledgers/compensation_form.html", context, write)


@tig_session_door(roles=WRITE_DOOR["roles"], methods=("POST",), allow=may_edit_measures)
def tig_validate(request: AuthedRequest, session: TigSession, access: PersonAccess) -> HttpResponse:
    """The CPIP validates hours a host structure recorded (POST only: a button of the panel)."""
    try:
        services.validate_tig_session(acting_user=request.user, session=session)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Heures validées : {session}.")
    return redirect(_back(access))
