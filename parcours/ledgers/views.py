from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from parcours.accounts.models import Role
from parcours.core.errors import ConflictError
from parcours.measures.access import get_measure_for
from parcours.people.access import MotifRequired, PersonAccess, get_person_for
from parcours.people.models import Person
from parcours.rules.ledgers import format_euros

from . import services
from .forms import (
    CompensationLedgerEditForm,
    CompensationLedgerForm,
    CompensationPaymentForm,
    TigLedgerEditForm,
    TigLedgerForm,
    TigSessionForm,
)
from .models import CompensationLedger, TigLedger

WRITERS = (Role.CPIP, Role.DPIP, Role.DFSPIP)
TIG_CODE = "tig"


def _back(person: Person) -> str:
    return reverse("people:detail", args=[person.public_id]) + "#registres"


def _check_role(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in WRITERS:
        raise PermissionDenied("Votre rôle ne permet pas de tenir un registre de TIG.")


def _check_writer(access: PersonAccess) -> None:
    if not access.can_edit_measures:
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas le modifier.")


@require_http_methods(["GET", "POST"])
def tig_create(request: HttpRequest, measure_id: UUID) -> HttpResponse:
    _check_role(request)
    try:
        measure, access = get_measure_for(request, measure_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    _check_writer(access)
    if measure.measure_type.code != TIG_CODE:
        raise Http404("Cette mesure n'est pas un travail d'intérêt général.")
    person = access.person
    if TigLedger.objects.filter(measure=measure).exists():
        messages.info(request, "Le registre de TIG de cette mesure est déjà ouvert.")
        return redirect(_back(person))
    initial = {"enforceable_from": measure.start_date}
    form = TigLedgerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.create_tig_ledger(
            acting_user=request.user,  # type: ignore[arg-type]
            measure=measure,
            ledger=form.save(commit=False),
        )
        messages.success(request, "Registre de TIG ouvert.")
        return redirect(_back(person))
    return render(
        request,
        "ledgers/tig_ledger_form.html",
        {"title": "Ouvrir le registre de TIG", "form": form, "person": person, "measure": measure},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def tig_session_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _check_role(request)
    visible = Person.objects.visible_to(request.user)  # type: ignore[arg-type]
    try:
        ledger = TigLedger.objects.select_related("person", "measure__measure_type").get(
            public_id=public_id, person__in=visible
        )
    except TigLedger.DoesNotExist:
        raise Http404("Registre introuvable.") from None
    try:
        access = get_person_for(request, ledger.person.public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    _check_writer(access)
    ledger.person = access.person
    form = TigSessionForm(request.POST if request.method == "POST" else None, ledger=ledger)
    if request.method == "POST" and form.is_valid():
        session = services.add_tig_session(
            acting_user=request.user,  # type: ignore[arg-type]
            ledger=ledger,
            session=form.save(commit=False),
        )
        messages.success(request, f"Séance de TIG enregistrée : {session}.")
        return redirect(_back(access.person))
    return render(
        request,
        "ledgers/tig_session_form.html",
        {
            "title": "Enregistrer des heures de TIG",
            "form": form,
            "person": access.person,
            "ledger": ledger,
        },
        status=400 if request.method == "POST" else 200,
    )


def _ledger_door(request: HttpRequest, model: Any, public_id: UUID) -> tuple[Any, PersonAccess]:
    """A ledger through the person's door (404 outside scope, motif when needed), writers only."""
    _check_role(request)
    visible = Person.objects.visible_to(request.user)  # type: ignore[arg-type]
    try:
        ledger = model.objects.select_related("person", "measure__measure_type").get(
            public_id=public_id, person__in=visible
        )
    except model.DoesNotExist:
        raise Http404("Registre introuvable.") from None
    access = get_person_for(request, ledger.person.public_id, journal=request.method == "GET")
    _check_writer(access)
    ledger.person = access.person
    return ledger, access


def _edit_ledger(
    request: HttpRequest,
    model: Any,
    public_id: UUID,
    form_class: Any,
    update: Any,
    title: str,
    describe: Any,
) -> HttpResponse:
    """Edit page of a ledger with optimistic locking: a stale save is a 409 showing the saved
    version (`describe(ledger)`) while keeping the user's input."""
    try:
        ledger, access = _ledger_door(request, model, public_id)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    form = form_class(
        request.POST if request.method == "POST" else None,
        instance=ledger,
        initial={"version": ledger.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            update(
                acting_user=request.user,
                ledger=form.save(commit=False),
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError:
            conflict = model.objects.get(pk=ledger.pk)
        else:
            messages.success(request, f"{title} : enregistré.")
            return redirect(_back(access.person))
    return render(
        request,
        "ledgers/ledger_edit_form.html",
        {
            "title": title,
            "form": form,
            "person": access.person,
            "measure": ledger.measure,
            "conflict": conflict,
            "conflict_text": describe(conflict) if conflict else "",
        },
        status=200 if request.method == "GET" else (409 if conflict else 400),
    )


def _describe_tig(ledger: TigLedger) -> str:
    return (
        f"{ledger.hours_ordered} h ({ledger.get_offence_display().lower()}), exécutoire le "
        f"{ledger.enforceable_from:%d/%m/%Y}, structure « {ledger.host_structure or '—'} »"
    )


def _describe_compensation(ledger: CompensationLedger) -> str:
    return (
        f"{ledger.beneficiary}, {format_euros(ledger.amount_ordered)} ordonnés le "
        f"{ledger.decided_on:%d/%m/%Y}"
    )


@require_http_methods(["GET", "POST"])
def tig_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _edit_ledger(
        request,
        TigLedger,
        public_id,
        TigLedgerEditForm,
        services.update_tig_ledger,
        "Modifier le registre de TIG",
        _describe_tig,
    )


@require_http_methods(["GET", "POST"])
def compensation_create(request: HttpRequest, measure_id: UUID) -> HttpResponse:
    _check_role(request)
    try:
        measure, access = get_measure_for(request, measure_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    _check_writer(access)
    form = CompensationLedgerForm(
        request.POST if request.method == "POST" else None,
        initial={"decided_on": measure.judgment_date, "installments": 12},
    )
    if request.method == "POST" and form.is_valid():
        services.create_compensation_ledger(
            acting_user=request.user,  # type: ignore[arg-type]
            measure=measure,
            ledger=form.save(commit=False),
            schedule=form.schedule,
        )
        messages.success(request, "Registre d'indemnisation ouvert avec son échéancier.")
        return redirect(_back(access.person))
    return render(
        request,
        "ledgers/compensation_form.html",
        {
            "title": "Ouvrir un registre d'indemnisation",
            "form": form,
            "person": access.person,
            "measure": measure,
            "button": "Ouvrir le registre",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def compensation_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _edit_ledger(
        request,
        CompensationLedger,
        public_id,
        CompensationLedgerEditForm,
        services.update_compensation_ledger,
        "Modifier le registre d'indemnisation",
        _describe_compensation,
    )


@require_http_methods(["GET", "POST"])
def compensation_payment(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        ledger, access = _ledger_door(request, CompensationLedger, public_id)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    form = CompensationPaymentForm(
        request.POST if request.method == "POST" else None,
        ledger=ledger,
        initial={"paid_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.add_compensation_payment(
                acting_user=request.user,  # type: ignore[arg-type]
                ledger=ledger,
                payment=form.save(commit=False),
            )
        except ValueError as error:
            form.add_error("amount", str(error))
        else:
            messages.success(request, f"Versement enregistré : {payment}.")
            return redirect(_back(access.person))
    return render(
        request,
        "ledgers/compensation_form.html",
        {
            "title": "Enregistrer un versement",
            "form": form,
            "person": access.person,
            "measure": ledger.measure,
            "ledger": ledger,
            "button": "Enregistrer le versement",
        },
        status=400 if request.method == "POST" else 200,
    )
