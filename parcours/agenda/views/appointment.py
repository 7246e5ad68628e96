"""One appointment: its page, its outcome, its report to another date, its letters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.downloads import document
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.people.access import PersonAccess
from parcours.rules.agenda import (
    TRANSITIONS,
    Action,
    AppointmentStatus,
    next_status,
)

from .. import selectors, services
from ..access import AGENDA_ROLES, BOOKING_ROLES, appointment_door, can_book, may_change
from ..documents import convocation_docx, convocation_pdf
from ..forms import OutcomeForm, RescheduleForm
from ..models import Appointment
from .booking import same_day_notice
from .reception import back_to_reception

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letter_refusal(appointment: Appointment) -> str:
    """Why the appointment's convocation letter is no longer valid (French), or "": a cancelled
    or rescheduled appointment convokes nobody."""
    if appointment.status == AppointmentStatus.ANNULE:
        return "Cette convocation n'est plus valable : le rendez-vous est annulé."
    if appointment.status == AppointmentStatus.REPORTE:
        return "Cette convocation n'est plus valable : le rendez-vous a été reporté."
    return ""


def _breach_url(appointment: Appointment) -> str:
    if appointment.status != AppointmentStatus.ABSENT:
        return ""
    if not appointment.appointment_type.counts_for_compliance:
        return ""
    url = reverse("breaches:create", args=[appointment.person.public_id])
    return f"{url}?rdv={appointment.public_id}"


# The actions offered on an appointment's page, in this order. Rescheduling is a link to its own
# form ("Reporter"), not one of these panels.
PANEL_ORDER = (Action.HONORER, Action.ABSENT, Action.EXCUSER, Action.CORRIGER, Action.ANNULER)


def offered_actions(appointment: Appointment, now: datetime) -> list[Action]:
    """What the appointment's state allows now (rules.agenda decides): before it starts, cancel
    (and reschedule); once started, the result; afterwards, the corrections."""
    status = AppointmentStatus(appointment.status)
    offered = []
    for action in PANEL_ORDER:
        if (status, action) not in TRANSITIONS:
            continue
        if services.transition_refused(appointment, action, now) is None:
            offered.append(action)
    return offered


def may_reschedule(appointment: Appointment, now: datetime) -> bool:
    return services.transition_refused(appointment, Action.REPORTER, now) is None


def _detail_context(
    request: AuthedRequest,
    appointment: Appointment,
    access: PersonAccess,
    outcome_form: OutcomeForm,
    history: list[Appointment],
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    offered = offered_actions(appointment, now)
    corrects_to = ""
    if Action.CORRIGER in offered:
        corrects_to = next_status(
            AppointmentStatus(appointment.status),
            Action.CORRIGER,
            starts_at=appointment.starts_at,
            now=now,
        ).value
    return {
        "title": "Rendez-vous",
        "appointment": appointment,
        "person": access.person,
        "history": history,
        "can_book": user.role in BOOKING_ROLES and can_book(user, access),
        "outcome_form": outcome_form,
        "is_past": appointment.starts_at <= now,
        # The person's own answers (personal space, SMS), newest first.
        "replies": list(appointment.replies.select_related("seen_by")[:5]),
        "offered": [action.value for action in offered],
        "may_reschedule": may_reschedule(appointment, now),
        "corrects_to": corrects_to,
        "breach_url": _breach_url(appointment),
        "letter_refused": letter_refusal(appointment),
    }


@appointment_door(roles=AGENDA_ROLES)
def detail(request: AuthedRequest, appointment: Appointment, access: PersonAccess) -> HttpResponse:
    form = OutcomeForm(initial={"version": appointment.version})
    history = selectors.reschedule_history(appointment)
    return render(
        request,
        "agenda/detail.html",
        _detail_context(request, appointment, access, form, history),
    )


@appointment_door(roles=BOOKING_ROLES, methods=("POST",), allow=may_change)
def outcome(request: AuthedRequest, appointment: Appointment, access: PersonAccess) -> HttpResponse:
    """honoré / absent / excusé / annulé / correction, from the appointment's page (or the
    reception's); errors come back on the appointment's page."""
    form = OutcomeForm(request.POST)
    context = _detail_context(request, appointment, access, form, history=[])

    def save(form: OutcomeForm) -> Saved:
        services.record_outcome(
            acting_user=request.user,
            appointment=appointment,
            action=Action(form.cleaned_data["action"]),
            reason=form.cleaned_data.get("reason", ""),
            proof=form.cleaned_data.get("proof", ""),
            expected_version=form.cleaned_data["version"],
            sms=bool(form.cleaned_data.get("sms")),
        )
        detail_url = reverse("agenda:detail", args=[appointment.public_id])
        return Saved(
            back_to_reception(request, detail_url),
            f"Résultat enregistré : {appointment.get_status_display()}.",
        )

    def saved_version() -> Appointment:
        # Someone saved it since the page was read: the page shows the saved state.
        appointment.refresh_from_db()
        context.update(_detail_context(request, appointment, access, form, history=[]))
        return appointment

    return form_page(request, form, "agenda/detail.html", context, save=save, current=saved_version)


@appointment_door(roles=BOOKING_ROLES, methods=("POST",), allow=may_change)
def reply_seen(
    request: AuthedRequest, appointment: Appointment, access: PersonAccess
) -> HttpResponse:
    """The CPIP has read the person's answers to this convocation."""
    for reply in appointment.replies.filter(seen_at__isnull=True):
        services.mark_reply_seen(acting_user=request.user, reply=reply)
    messages.success(request, "Réponse de la personne marquée comme vue.")
    return redirect("agenda:detail", appointment.public_id)


@appointment_door(roles=BOOKING_ROLES, methods=("GET", "POST"), allow=may_change)
def reschedule(
    request: AuthedRequest, appointment: Appointment, access: PersonAccess
) -> HttpResponse:
    person = access.person
    closed = services.no_longer_reschedulable(appointment)
    if closed:
        # The form sent again after the report (the browser's back button), or a cancelled one.
        return render(
            request,
            "agenda/reschedule.html",
            {
                "title": "Reporter le rendez-vous",
                "appointment": appointment,
                "person": person,
                "closed": closed,
            },
            status=400 if request.method == "POST" else 200,
        )
    form = RescheduleForm(
        posted(request),
        person=person,
        agendas=selectors.agendas_for(request.user),
        initial={
            "version": appointment.version,
            "appointment_type": appointment.appointment_type,
            "agenda": appointment.agenda,
            "measure": appointment.measure,
            "duration": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
            "sms": True,
        },
    )

    def save(form: RescheduleForm) -> Saved:
        new = services.reschedule(
            acting_user=request.user,
            appointment=appointment,
            req=form.booking_request(),
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
        text = f"Rendez-vous reporté au {new.local_start:%d/%m/%Y à %H:%M}."
        notice = same_day_notice(person, [new], new.tz)
        return saved_at("agenda:detail", new, f"{text} {notice}".strip())

    return form_page(
        request,
        form,
        "agenda/reschedule.html",
        {
            "title": "Reporter le rendez-vous",
            "appointment": appointment,
            "person": person,
            "closed": "",
            **selectors.free_slot_choices(appointment.agenda, appointment.appointment_type),
        },
        save=save,
        current=appointment,
    )


# The letter is an export, journaled as such (not as a consultation).
@appointment_door(roles=AGENDA_ROLES, journal=())
def letter(
    request: AuthedRequest, appointment: Appointment, access: PersonAccess, fmt: str
) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404("Format inconnu : PDF ou DOCX.")
    refused = letter_refusal(appointment)
    if refused:
        return render(
            request,
            "agenda/letter_refused.html",
            {"title": "Convocation", "appointment": appointment, "message": refused},
            status=404,
        )
    services.journal_letter(
        acting_user=request.user,
        appointment=appointment,
        fmt=fmt,
        motif=access.motif,
        motif_detail=access.motif_detail,
    )
    name = f"convocation-{appointment.local_start:%Y-%m-%d}"
    if fmt == "pdf":
        return document(convocation_pdf(appointment), f"{name}.pdf")
    return document(convocation_docx(appointment), f"{name}.docx", DOCX, attachment=True)
