"""Verb-first writes on the agenda. Each takes `acting_user`, runs in one transaction, journals,
and writes the notification outbox in the same transaction (notifications.services)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import update_if_version
from parcours.notifications.services import (
    notify_appointment_change,
    schedule_appointment_messages,
)
from parcours.people.models import Person
from parcours.rules.agenda import (
    Action,
    AppointmentStatus,
    TemplateSpec,
    TransitionRefused,
    booking_problem,
    generate_slots,
    is_closed_day,
    next_status,
    opening_hours_problem,
    recurrence_dates,
    templates_overlap,
)
from parcours.rules.vocabulary import ReplyAnswer, ReplyChannel

from .models import (
    Agenda,
    Appointment,
    AppointmentReply,
    AppointmentType,
    CalendarFeed,
    Place,
    Slot,
    SlotTemplate,
)

# How far ahead slot templates are turned into concrete slots.
GENERATION_DAYS = 120


AGENT_BUSY = "L'agent a déjà un rendez-vous à cette heure-là. Choisissez une autre heure."

STALE_APPOINTMENT = (
    "Ce rendez-vous a été modifié par quelqu'un d'autre entre-temps. Rechargez la page pour voir "
    "son état actuel."
)


class BookingRefused(Refused):
    """A booking that cannot be made; the message is French and shown to the user."""


@dataclass(frozen=True)
class BookingRequest:
    person: Person
    appointment_type: AppointmentType
    agenda: Agenda
    starts_at: datetime
    duration: int
    slot: Slot | None = None
    measure_id: int | None = None
    comment: str = ""
    sms: bool = True
    email: bool = False


def template_spec(template: SlotTemplate) -> TemplateSpec:
    return TemplateSpec(
        weekday=template.weekday,
        start=template.start_time,
        duration=template.duration,
        valid_from=template.valid_from,
        valid_until=template.valid_until,
    )


def overlapping_template(template: SlotTemplate) -> SlotTemplate | None:
    spec = template_spec(template)
    others = SlotTemplate.objects.filter(agenda_id=template.agenda_id, is_active=True).exclude(
        pk=template.pk
    )
    for other in others:
        if templates_overlap(spec, template_spec(other)):
            return other
    return None


def generate_agenda_slots(
    agenda: Agenda, *, first_day: date | None = None, days: int = GENERATION_DAYS
) -> int:
    """Creates the missing concrete slots of the agenda's active templates; idempotent."""
    place = agenda.place
    first_day = first_day or timezone.localdate()
    last_day = first_day + timedelta(days=days)
    existing = set(
        Slot.objects.filter(
            agenda=agenda, starts_at__date__gte=first_day - timedelta(days=1)
        ).values_list("starts_at", flat=True)
    )
    new: list[Slot] = []
    for template in agenda.templates.filter(is_active=True).select_related("appointment_type"):
        for starts, ends in generate_slots(
            template_spec(template),
            first_day,
            last_day,
            place.tz,
            place.holiday_subdivision,
            weekend_allowed=template.appointment_type.weekend_allowed,
        ):
            if starts in existing:
                continue
            existing.add(starts)
            new.append(
                Slot(
                    agenda=agenda,
                    template=template,
                    appointment_type=template.appointment_type,
                    starts_at=starts,
                    ends_at=ends,
                    capacity=template.capacity,
                )
            )
    Slot.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def save_template(*, acting_user: User, template: SlotTemplate) -> SlotTemplate:
    hours = opening_hours_problem("Ce modèle de créneau", template.start_time, template.duration)
    if hours:
        raise BookingRefused(hours)
    clash = overlapping_template(template)
    if clash is not None:
        raise BookingRefused(
            f"Ce modèle chevauche le modèle existant « {clash} » de cet agenda "
            "(même jour, heures et période qui se recouvrent)."
        )
    creating = template.pk is None
    template.created_by = template.created_by or acting_user
    template.save()
    generated = generate_agenda_slots(template.agenda)
    record(
        AuditAction.CREATION if creating else AuditAction.MODIFICATION,
        actor=acting_user,
        obj=template,
        object_label=f"{template.agenda} — {template}",
        spip_id=template.agenda.place.spip_id,
        details={"créneaux générés": generated},
    )
    return template


def _check_booking(req: BookingRequest, now: datetime) -> None:
    problem = booking_problem(req.starts_at, now)
    if problem:
        raise BookingRefused(problem)
    place = req.agenda.place
    local_day = req.starts_at.astimezone(place.tz).date()
    closed = is_closed_day(
        local_day,
        place.holiday_subdivision,
        weekend_allowed=req.appointment_type.weekend_allowed,
    )
    if closed:
        raise BookingRefused(f"Impossible de fixer un rendez-vous ce jour-là. {closed}")
    if req.person.spip_id != place.spip_id:
        raise BookingRefused("Ce lieu n'appartient pas au SPIP qui suit la personne.")
    if not 5 <= req.duration <= 480:
        raise BookingRefused("La durée doit être comprise entre 5 minutes et 8 heures.")
    ends = req.slot.ends_at if req.slot is not None else None
    minutes = int((ends - req.starts_at).total_seconds() // 60) if ends else req.duration
    local_start = req.starts_at.astimezone(place.tz)
    hours = opening_hours_problem("L'heure du rendez-vous", local_start.time(), minutes)
    if hours:
        raise BookingRefused(hours)


def _lock_agent(agent_id: int | None) -> None:
    """Serialises bookings of one agent (PostgreSQL row lock; SQLite locks the whole database)."""
    if agent_id is not None:
        list(User.objects.select_for_update().filter(pk=agent_id).values_list("pk"))


def _agent_busy(
    agent_id: int | None, starts: datetime, ends: datetime, slot_id: int | None
) -> bool:
    """A booking, in free time or on a slot, may not overlap any other planned appointment of
    the agent; the other people of the same (collective) slot share its time."""
    if agent_id is None:
        return False
    clash = Appointment.objects.clashing_with_agent(agent_id, starts, ends)
    if slot_id is not None:
        clash = clash.exclude(slot_id=slot_id)
    return clash.exists()


def _take_place(slot: Slot) -> None:
    """Conditional increment: of two agents booking the last place at once, one gets 0 rows."""
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise BookingRefused(
            "Ce créneau vient d'être complété par une autre réservation. Choisissez un autre "
            "créneau."
        )


def _journal(
    action: AuditAction, acting_user: User, appointment: Appointment, details: dict[str, Any]
) -> None:
    """The journal row of a change to an appointment, under its person and SPIP."""
    record(
        action,
        actor=acting_user,
        obj=appointment,
        person_public_id=appointment.person.public_id,
        spip_id=appointment.spip_id,
        details=details,
    )


def _release_place(slot_id: int | None) -> None:
    if slot_id is not None:
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _create(req: BookingRequest, acting_user: User, series: uuid.UUID | None) -> Appointment:
    ends = req.starts_at + timedelta(minutes=req.duration)
    agenda = req.agenda
    slot_id = None
    if req.slot is not None:
        if req.slot.agenda_id != agenda.pk:
            raise BookingRefused("Ce créneau n'appartient pas à cet agenda.")
        ends = req.slot.ends_at
        slot_id = req.slot.pk
    _lock_agent(agenda.agent_id)
    if _agent_busy(agenda.agent_id, req.starts_at, ends, slot_id):
        raise BookingRefused(AGENT_BUSY)
    if req.slot is not None:
        _take_place(req.slot)
    return Appointment.objects.create(
        person=req.person,
        spip_id=req.person.spip_id,
        measure_id=req.measure_id,
        appointment_type=req.appointment_type,
        place=agenda.place,
        agenda=agenda,
        agent_id=agenda.agent_id,
        slot=req.slot,
        starts_at=req.starts_at,
        ends_at=ends,
        comment=req.comment,
        series=series,
        created_by=acting_user,
    )


def _notify_booking(appointment: Appointment, req: BookingRequest, acting_user: User) -> None:
    schedule_appointment_messages(
        appointment, acting_user=acting_user, sms=req.sms, email=req.email
    )


def book(
    *,
    acting_user: User,
    req: BookingRequest,
    every_weeks: int = 0,
    count: int = 1,
    now: datetime | None = None,
) -> list[Appointment]:
    """Books one appointment, or `count` of them every `every_weeks` weeks (same local time).

    All or nothing: a refused date in a series refuses the whole series, with its date."""
    now = now or timezone.now()
    starts = [req.starts_at]
    if every_weeks and count > 1:
        if req.slot is not None:
            raise BookingRefused("Une série se réserve en heure libre, pas sur un créneau.")
        starts = [
            s.astimezone(UTC)
            for s in recurrence_dates(req.starts_at, every_weeks, count, req.agenda.place.tz)
        ]
    series = uuid.uuid4() if len(starts) > 1 else None
    created: list[Appointment] = []
    try:
        with transaction.atomic():
            for start in starts:
                one = BookingRequest(**{**req.__dict__, "starts_at": start})
                try:
                    _check_booking(one, now)
                except BookingRefused as refused:
                    if len(starts) > 1:
                        local = start.astimezone(req.agenda.place.tz)
                        raise BookingRefused(f"Le {local:%d/%m/%Y} : {refused}") from None
                    raise
                appointment = _create(one, acting_user, series)
                _notify_booking(appointment, one, acting_user)
                _journal(AuditAction.CREATION, acting_user, appointment, appointment.as_dict())
                created.append(appointment)
    except IntegrityError:
        raise BookingRefused(
            "Ce créneau vient d'être complété par une autre réservation. Choisissez un autre "
            "créneau."
        ) from None
    return created


def _bump(appointment: Appointment, expected_version: int | None, **changes: Any) -> None:
    """Optimistic locking: the row is written only if nobody saved it since the page was read."""
    # Without a version from a form, the version this appointment was loaded at.
    expected = appointment.version if expected_version is None else expected_version
    try:
        update_if_version(Appointment.objects.filter(pk=appointment.pk), expected, **changes)
    except ConflictError:
        raise ConflictError(STALE_APPOINTMENT) from None
    for key, value in changes.items():
        setattr(appointment, key, value)
    appointment.version = expected + 1


OUTCOME_MESSAGES = {
    Action.ANNULER: "annulation",
    Action.ABSENT: "absence",
}


def transition_refused(
    appointment: Appointment, action: Action, now: datetime
) -> TransitionRefused | None:
    """Why rules.agenda refuses `action` on the appointment now; None when it allows it."""
    try:
        next_status(
            AppointmentStatus(appointment.status), action, starts_at=appointment.starts_at, now=now
        )
    except TransitionRefused as refused:
        return refused
    return None


@transaction.atomic
def record_outcome(
    *,
    acting_user: User,
    appointment: Appointment,
    action: Action,
    reason: str = "",
    proof: str = "",
    expected_version: int | None = None,
    sms: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """honoré / absent / excusé / annulé / correction; the state machine is rules.agenda."""
    now = now or timezone.now()
    previous = AppointmentStatus(appointment.status)
    try:
        target = next_status(previous, action, starts_at=appointment.starts_at, now=now)
    except TransitionRefused as refused:
        raise BookingRefused(str(refused)) from None
    if action == Action.REPORTER:
        raise BookingRefused("Utilisez « Reporter » pour choisir la nouvelle date.")
    if action in (Action.EXCUSER, Action.ANNULER, Action.CORRIGER) and not reason.strip():
        raise BookingRefused("Indiquez le motif.")
    changes: dict[str, Any] = {
        "status": target.value,
        "outcome_reason": reason.strip()[:500],
        "outcome_proof": proof.strip()[:200],
        "outcome_at": now,
        "outcome_by": acting_user,
    }
    if target == AppointmentStatus.HONORE and appointment.arrived_at is None:
        changes["arrived_at"] = now
    if target == AppointmentStatus.ABSENT:
        changes["arrived_at"] = None
    _bump(appointment, expected_version, **changes)
    if action == Action.ANNULER:
        _release_place(appointment.slot_id)
    role = OUTCOME_MESSAGES.get(action)
    if role:
        notify_appointment_change(appointment, role, acting_user=acting_user, sms=sms, email=False)
    _journal(
        AuditAction.MODIFICATION,
        acting_user,
        appointment,
        {"avant": previous.label, "après": target.label, "motif": reason[:200]},
    )
    return appointment


@transaction.atomic
def mark_arrived(*, acting_user: User, appointment: Appointment) -> Appointment:
    """Reception: the person is in the waiting room (one click). Idempotent."""
    if appointment.status != AppointmentStatus.PLANIFIE:
        raise BookingRefused("Ce rendez-vous n'est plus planifié.")
    if appointment.arrived_at is None:
        now = timezone.now()
        Appointment.objects.filter(pk=appointment.pk, arrived_at__isnull=True).update(
            arrived_at=now
        )
        appointment.arrived_at = now
        _journal(AuditAction.MODIFICATION, acting_user, appointment, {"accueil": "arrivé"})
    return appointment


def no_longer_reschedulable(appointment: Appointment) -> str:
    """Why an appointment already rescheduled or cancelled cannot be rescheduled (French; the
    page links to the new appointment), or "" for any other state."""
    if appointment.status == AppointmentStatus.REPORTE:
        new = appointment.rescheduled_to
        if new is None:
            return "Ce rendez-vous a déjà été reporté."
        return f"Ce rendez-vous a déjà été reporté au {new.local_start:%d/%m/%Y à %H:%M}."
    if appointment.status == AppointmentStatus.ANNULE:
        return "Ce rendez-vous a été annulé : il ne peut plus être reporté."
    return ""


def reschedule(
    *,
    acting_user: User,
    appointment: Appointment,
    req: BookingRequest,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """The old appointment becomes « reporté » and points to the new one: history is kept."""
    now = now or timezone.now()
    if not reason.strip():
        raise BookingRefused("Indiquez le motif du report.")
    try:
        with transaction.atomic():
            closed = no_longer_reschedulable(appointment)
            if closed:
                raise BookingRefused(closed)
            refused = transition_refused(appointment, Action.REPORTER, now)
            if refused is not None:
                raise BookingRefused(str(refused))
            _check_booking(req, now)
            # Frees the old slot before taking the new one (rescheduling within the same slot).
            _release_place(appointment.slot_id)
            _bump(
                appointment,
                expected_version,
                status=AppointmentStatus.REPORTE.value,
                outcome_reason=reason.strip()[:500],
                outcome_at=now,
                outcome_by=acting_user,
            )
            new = _create(req, acting_user, appointment.series)
            Appointment.objects.filter(pk=appointment.pk).update(rescheduled_to=new)
            appointment.rescheduled_to = new
            notify_appointment_change(
                appointment, "report", acting_user=acting_user, sms=False, email=False
            )
            schedule_appointment_messages(
                new, acting_user=acting_user, sms=req.sms, email=req.email
            )
            _journal(
                AuditAction.MODIFICATION,
                acting_user,
                appointment,
                {"report vers": new.as_dict(), "motif": reason[:200]},
            )
    except BookingRefused:
        # Nothing was written (the transaction rolled back): the caller's copy neither.
        appointment.refresh_from_db()
        raise
    return new


@transaction.atomic
def create_place(*, acting_user: User, place: Place) -> Place:
    """A new place of the user's SPIP, with its shared agenda."""
    if acting_user.spip_id is None:
        raise Refused("Votre compte n'est rattaché à aucun SPIP.")
    place.spip_id = acting_user.spip_id
    place.save()
    Agenda.objects.create(place=place, label=f"{place.name} — agenda commun")
    record(AuditAction.CREATION, actor=acting_user, obj=place)
    return place


def journal_letter(
    *, acting_user: User, appointment: Appointment, fmt: str, motif: str, motif_detail: str = ""
) -> None:
    """A convocation letter leaves the application: journaled as an export, with the motif the
    file was opened under (a colleague's break-the-glass motif and its detail included)."""
    record(
        AuditAction.EXPORT,
        actor=acting_user,
        obj=appointment,
        person_public_id=appointment.person.public_id,
        spip_id=appointment.spip_id,
        motif=motif,
        motif_detail=motif_detail,
        details={"document": f"convocation ({fmt})"},
    )


# Calendar feeds: the secret token is shown once; only its SHA-256 is stored.


@transaction.atomic
def renew_feed(*, acting_user: User, create: bool) -> str:
    """Revokes the user's live feed link and, with `create`, makes a new one; returns its token
    ("" when only revoking)."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=acting_user, revoked_at__isnull=True).update(revoked_at=now)
    token = ""
    if create:
        token = secrets.token_urlsafe(32)
        CalendarFeed.objects.create(user=acting_user, token_hash=CalendarFeed.hash_token(token))
    action = "creer" if create else "revoquer"
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        object_type="flux_agenda",
        object_label=f"Flux iCalendar de {acting_user.get_username()} : {action}",
    )
    return token


def journal_feed_read(feed: CalendarFeed, count: int) -> None:
    """Read by the agent's calendar software, with the agent's token: journaled in their name."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    record(
        AuditAction.CONSULTATION,
        actor=feed.user,
        object_type="flux_agenda",
        object_label=f"Flux iCalendar de {feed.user.get_username()}",
        spip_id=feed.user.spip_id,
        details={"rendez-vous": count},
    )


REPLY_REFUSED_CLOSED = "Ce rendez-vous n'est plus prévu : la réponse n'a pas été enregistrée."
REPLY_REFUSED_PAST = "Ce rendez-vous a déjà commencé : la réponse n'a pas été enregistrée."
REPLY_REASON_REQUIRED = "Indiquez pourquoi vous ne pouvez pas venir."


@transaction.atomic
def record_reply(
    *,
    appointment: Appointment,
    answer: ReplyAnswer | str,
    channel: ReplyChannel | str,
    reason: str = "",
    require_reason: bool = True,
) -> AppointmentReply:
    """The person answers a convocation (personal space or SMS; no staff actor). Only a planned
    appointment that has not started takes an answer. From the space, "je ne peux pas venir"
    needs a reason (`require_reason`); an SMS "NON" carries none. Journaled under the person."""
    answer = ReplyAnswer(answer)
    channel = ReplyChannel(channel)
    reason = reason.strip()[:500]
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.PLANIFIE:
        raise Refused(REPLY_REFUSED_CLOSED)
    if locked.starts_at <= timezone.now():
        raise Refused(REPLY_REFUSED_PAST)
    if answer == ReplyAnswer.EMPECHE and require_reason and not reason:
        raise Refused(REPLY_REASON_REQUIRED)
    reply = AppointmentReply.objects.create(
        appointment=locked, answer=answer, channel=channel, reason=reason
    )
    record(
        AuditAction.MODIFICATION,
        obj=locked,
        person_public_id=appointment.person.public_id,
        spip_id=locked.spip_id,
        username=f"la personne ({channel.label.lower()})",
        details={"réponse": answer.label, "canal": channel.label, "motif": reason},
    )
    return reply


def latest_reply(appointment: Appointment) -> AppointmentReply | None:
    return appointment.replies.first()


@transaction.atomic
def mark_reply_seen(*, acting_user: User, reply: AppointmentReply) -> AppointmentReply:
    """The CPIP has read the person's answer (idempotent)."""
    if reply.seen_at is None:
        now = timezone.now()
        AppointmentReply.objects.filter(pk=reply.pk, seen_at__isnull=True).update(
            seen_at=now, seen_by=acting_user
        )
        reply.seen_at, reply.seen_by = now, acting_user
        _journal(
            AuditAction.MODIFICATION,
            acting_user,
            reply.appointment,
            {"réponse de la personne": "vue"},
        )
    return reply
