from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from parcours.accounts.models import Role
from parcours.core.errors import ConflictError
from parcours.people.access import MotifRequired, PersonAccess, get_person_for
from parcours.people.models import Person

from . import services
from .forms import BreachForm, FollowUpForm
from .models import Breach

WRITERS = (Role.CPIP, Role.DPIP, Role.DFSPIP)
ANSWER_CONVOCATIONS = "cp_132_44_1"


def _back(person: Person) -> str:
    return reverse("people:detail", args=[person.public_id]) + "#manquements"


def _writer_door(request: HttpRequest, person_public_id: UUID) -> PersonAccess:
    if getattr(request.user, "role", None) not in WRITERS:
        raise PermissionDenied("Votre rôle ne permet pas d'enregistrer un manquement.")
    access = get_person_for(request, person_public_id, journal=request.method == "GET")
    if not access.can_edit_measures:
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas le modifier.")
    return access


def _initial_from_appointment(request: HttpRequest, person: Person) -> dict[str, object]:
    """« Enregistrer le manquement » from a missed appointment: the form comes prefilled."""
    from parcours.agenda.access import visible_appointments
    from parcours.rules.agenda import AppointmentStatus

    raw = request.GET.get("rdv") or ""
    try:
        appointment_id = UUID(raw)
    except ValueError:
        return {}
    appointment = (
        visible_appointments(request.user)  # type: ignore[arg-type]
        .filter(public_id=appointment_id, person=person, status=AppointmentStatus.ABSENT)
        .select_related("appointment_type", "place__spip")
        .first()
    )
    if appointment is None:
        return {}
    from parcours.obligations.models import Obligation

    # The control measure "répondre aux convocations" (CP 132-44 1°) of the person's measures:
    # a manquement recorded on it feeds that obligation's compliance status.
    duties = Obligation.objects.filter(
        measure__person=person, obligation_type__code=ANSWER_CONVOCATIONS
    )
    if appointment.measure_id:
        duties = duties.filter(measure_id=appointment.measure_id)
    duty = duties.order_by("-measure__judgment_date").values("pk", "measure_id").first()
    local = appointment.local_start
    return {
        "kind": "absence",
        "measure": appointment.measure_id or (duty["measure_id"] if duty else None),
        "obligation": duty["pk"] if duty else None,
        "occurred_on": local.date(),
        "facts": (
            f"Absence non excusée au rendez-vous « {appointment.appointment_type.label} » du "
            f"{local:%d/%m/%Y à %H:%M} ({appointment.place.name})."
        ),
    }


@require_http_methods(["GET", "POST"])
def breach_create(request: HttpRequest, person_id: UUID) -> HttpResponse:
    try:
        access = _writer_door(request, person_id)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    person = access.person
    initial = _initial_from_appointment(request, person) if request.method == "GET" else {}
    form = BreachForm(
        request.POST if request.method == "POST" else None, person=person, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        breach = services.record_breach(
            acting_user=request.user,  # type: ignore[arg-type]
            person=person,
            breach=form.save(commit=False),
        )
        messages.success(
            request,
            f"Manquement enregistré. Suite proposée : {breach.get_proposed_step_display()}.",
        )
        return redirect(_back(person))
    return render(
        request,
        "breaches/breach_form.html",
        {
            "title": "Enregistrer un manquement",
            "form": form,
            "person": person,
            "current_proposal": services.proposal_for(person),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def breach_followup(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if getattr(request.user, "role", None) not in WRITERS:
        raise PermissionDenied("Votre rôle ne permet pas de suivre un manquement.")
    visible = Person.objects.visible_to(request.user)  # type: ignore[arg-type]
    try:
        breach = Breach.objects.select_related("person", "measure__measure_type").get(
            public_id=public_id, person__in=visible
        )
    except Breach.DoesNotExist:
        raise Http404("Manquement introuvable.") from None
    try:
        access = _writer_door(request, breach.person.public_id)
    except MotifRequired as needed:
        return redirect("people:motif", public_id=needed.person.public_id)
    breach.person = access.person
    initial = {
        "version": breach.version,
        "chosen_step": breach.chosen_step,
        "followup_status": breach.followup_status,
        "followup_done_on": breach.followup_done_on,
        "followup_note": breach.followup_note,
    }
    form = FollowUpForm(request.POST if request.method == "POST" else None, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_followup(
                acting_user=request.user,  # type: ignore[arg-type]
                breach=breach,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError:
            conflict = True
        else:
            messages.success(request, "La suite donnée au manquement est enregistrée.")
            return redirect(_back(access.person))
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "breaches/followup_form.html",
        {
            "title": "Suite donnée au manquement",
            "form": form,
            "person": access.person,
            "breach": breach,
            "conflict": conflict,
        },
        status=status,
    )
