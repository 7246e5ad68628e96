"""The outbox: messages written in the business transaction, sent later by the worker.

API used by the agenda's booking and outcome services (inside their transaction):

- `schedule_appointment_messages(appointment, acting_user=…, sms=…, email=…)` at booking:
  the "convocation" now and the "rappel" at J-2 (J-1 per SPIP) 10:00 local time;
- `notify_appointment_change(appointment, role, …)` for "annulation", "report", "absence"
  (annulation and report also cancel the appointment's pending messages);
- `cancel_pending_for(appointment)`; `preview_messages(appointment, …)` (unsaved appointment too);
- `sms_possible(person)`: None, or the French reason why no SMS can be sent.

Sending (`send_message`) is idempotent: only a "programmé" message that is due is sent, under a row
lock (PostgreSQL: `select_for_update(skip_locked=True)`), and the provider receives the message's
idempotency key, so a retry after a lost answer is not delivered twice.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.people.phones import PhoneError, display_phone, normalise_french_mobile
from parcours.rules.notifications import (
    Channel,
    MessageRole,
    MessageState,
    after_temporary_failure,
    check_move,
    french_date,
    french_datetime,
    french_time,
    is_stale,
    reminder_at,
    render,
    to_gsm,
)

from .models import Message, MessageTemplate, NotificationSettings
from .providers import PermanentProviderError, TemporaryProviderError, provider_for

if TYPE_CHECKING:
    from parcours.accounts.models import Organisation, User
    from parcours.agenda.models import Appointment
    from parcours.people.models import Person

logger = logging.getLogger("parcours.notifications")

CHANGE_ROLES = (MessageRole.ANNULATION, MessageRole.REPORT, MessageRole.ABSENCE)
STOP_SALT = "parcours.notifications.stop"
DEFAULTS_FILE = Path(__file__).parent / "data" / "default_templates.json"


# --- Who can receive what ---------------------------------------------------------------------


def sms_possible(person: Person) -> str | None:
    """None when an SMS can be sent to the person, else the French reason why not."""
    if person.refuses_sms:
        return "La personne a refusé les SMS"
    if person.no_phone or not person.phone:
        return "Numéro de portable absent"
    try:
        normalise_french_mobile(person.phone)
    except PhoneError as error:
        return f"Numéro de portable invalide : {error}"
    return None


def email_possible(person: Person) -> str | None:
    if not person.email:
        return "Adresse électronique absente"
    try:
        validate_email(person.email)
    except ValidationError:
        return "Adresse électronique invalide"
    return None


def _recipient(person: Person, channel: Channel) -> tuple[str, str | None]:
    if channel is Channel.SMS:
        problem = sms_possible(person)
        return ("" if problem else normalise_french_mobile(person.phone)), problem
    problem = email_possible(person)
    return ("" if problem else person.email), problem


# --- STOP links -------------------------------------------------------------------------------


def stop_token(person: Person) -> str:
    short = base64.urlsafe_b64encode(person.public_id.bytes).rstrip(b"=").decode("ascii")
    return signing.Signer(salt=STOP_SALT).sign(short)


def person_id_from_stop_token(token: str) -> uuid.UUID | None:
    """The person's public id, or None when the token is invalid or tampered with."""
    try:
        short = signing.Signer(salt=STOP_SALT).unsign(token)
        raw = base64.urlsafe_b64decode(short + "=" * (-len(short) % 4))
        return uuid.UUID(bytes=raw)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def stop_url(person: Person) -> str:
    path = reverse("notifications:stop", args=[stop_token(person)])
    return f"{settings.PARCOURS_PUBLIC_URL.rstrip('/')}{path}"


def record_sms_refusal(person: Person) -> int:
    """The person used the STOP link: no more SMS; their pending SMS are cancelled."""
    from parcours.people.models import Person as PersonModel

    with transaction.atomic():
        changed = PersonModel.objects.filter(pk=person.pk, refuses_sms=False).update(
            refuses_sms=True, version=F("version") + 1, updated_at=timezone.now()
        )
        cancelled = _cancel(
            Message.objects.filter(person_id=person.pk, channel=Channel.SMS),
            "La personne a refusé les SMS (lien STOP).",
        )
        if changed:
            record(
                AuditAction.MODIFICATION,
                obj=person,
                person_public_id=person.public_id,
                spip_id=person.spip_id,
                username="lien STOP d'un SMS",
                details={"refuse_sms": True, "origine": "lien STOP", "sms_annules": cancelled},
            )
    person.refuses_sms = True
    return cancelled


# --- Templates --------------------------------------------------------------------------------


@cache
def default_templates() -> dict[tuple[str, str], tuple[str, str]]:
    data = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return {(t["role"], t["channel"]): (t["subject"], t["body"]) for t in data["templates"]}


def templates_for(spip_id: int | None) -> dict[tuple[str, str], tuple[str, str]]:
    """Effective (subject, body) per (role, channel): the SPIP's text, else the national one,
    else the built-in default. One query."""
    result = dict(default_templates())
    rows = MessageTemplate.objects.filter(Q(spip__isnull=True) | Q(spip_id=spip_id)).order_by(
        F("spip_id").asc(nulls_first=True)
    )
    for row in rows:
        result[(row.role, row.channel)] = (row.subject, row.body)
    return result


def reminder_settings(spip_id: int | None) -> tuple[int, int]:
    row = NotificationSettings.objects.filter(spip_id=spip_id).first()
    if row is not None:
        return row.reminder_days_before, row.reminder_hour
    return settings.PARCOURS_REMINDER_DAYS, settings.PARCOURS_REMINDER_HOUR


def placeholder_values(
    appointment: Appointment, channel: Channel | str, *, stop: str = ""
) -> dict[str, str]:
    place = appointment.place
    tz_name = place.spip.timezone
    return {
        "date": french_date(appointment.starts_at, tz_name),
        "heure": french_time(appointment.starts_at, tz_name),
        "lieu": place.name,
        "adresse": place.full_address,
        "telephone_lieu": display_phone(place.phone) if place.phone else "",
        "type": appointment.appointment_type.label if Channel(channel) is Channel.EMAIL else "",
        "lien_acces": place.access_url,
        "stop": stop,
    }


def render_message(
    subject: str, body: str, appointment: Appointment, channel: Channel | str, *, stop: str = ""
) -> tuple[str, str]:
    values = placeholder_values(appointment, channel, stop=stop)
    if Channel(channel) is Channel.SMS:
        return "", to_gsm(render(body, values)).strip()
    return render(subject, values).strip(), render(body, values).strip()


# --- Planning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    role: str
    channel: str
    send_at: datetime | None
    local_send_at: str
    recipient: str
    body: str
    problem: str | None
    subject: str = ""

    @property
    def role_label(self) -> str:
        return MessageRole(self.role).label

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label


def _plan(
    appointment: Appointment,
    roles: Sequence[MessageRole],
    *,
    sms: bool,
    email: bool,
    now: datetime,
) -> list[Preview]:
    person = appointment.person
    place = appointment.place
    tz_name = place.spip.timezone
    texts = templates_for(place.spip_id)
    days, hour = reminder_settings(place.spip_id)
    channels = [c for c, asked in ((Channel.SMS, sms), (Channel.EMAIL, email)) if asked]
    stop = stop_url(person) if sms else ""
    plans = []
    for role in roles:
        problem_for_role: str | None = None
        send_at: datetime | None = now
        local = "immédiatement"
        if is_stale(role, appointment.starts_at, now):
            problem_for_role, send_at, local = "Le rendez-vous est déjà commencé ou passé", None, ""
        elif role is MessageRole.RAPPEL:
            send_at = reminder_at(
                appointment.starts_at, tz_name, now=now, days_before=days, hour=hour
            )
            if send_at is None:
                problem_for_role = "Rendez-vous trop proche : pas de rappel (la convocation suffit)"
                local = ""
            else:
                local = french_datetime(send_at, tz_name)
        for channel in channels:
            recipient, problem = _recipient(person, channel)
            subject, body = texts[(role.value, channel.value)]
            subject, body = render_message(subject, body, appointment, channel, stop=stop)
            plans.append(
                Preview(
                    role=role.value,
                    channel=channel.value,
                    send_at=send_at,
                    local_send_at=local,
                    recipient=recipient,
                    subject=subject,
                    body=body,
                    problem=problem_for_role or problem,
                )
            )
    return plans


def preview_messages(
    appointment: Appointment, *, sms: bool, email: bool, now: datetime | None = None
) -> list[Preview]:
    """What booking this (possibly unsaved) appointment would send; nothing is written."""
    return _plan(
        appointment,
        (MessageRole.CONVOCATION, MessageRole.RAPPEL),
        sms=sms,
        email=email,
        now=now or timezone.now(),
    )


def _create(
    appointment: Appointment,
    plans: Iterable[Preview],
    *,
    acting_user: User | None,
    reason: str,
) -> list[Message]:
    messages = []
    for plan in plans:
        if plan.problem or plan.send_at is None:
            continue
        messages.append(
            Message(
                person=appointment.person,
                spip_id=appointment.place.spip_id,
                appointment=appointment,
                role=plan.role,
                channel=plan.channel,
                recipient=plan.recipient,
                subject=plan.subject,
                body=plan.body,
                send_at=plan.send_at,
                next_attempt_at=plan.send_at,
                created_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
        )
    if not messages:
        return []
    for message in messages:
        message.save()
    person = appointment.person
    record(
        AuditAction.CREATION,
        actor=acting_user,
        object_type="message",
        object_id=str(appointment.public_id),
        object_label=f"Messages ({reason}) du rendez-vous",
        person_public_id=person.public_id,
        spip_id=person.spip_id,
        details={
            "messages": [
                {
                    "objet": m.role,
                    "canal": m.channel,
                    "destinataire": m.recipient,
                    "envoi": m.send_at.isoformat(),
                }
                for m in messages
            ]
        },
    )
    dispatch(messages)
    return messages


def schedule_appointment_messages(
    appointment: Appointment,
    *,
    acting_user: User | None,
    sms: bool,
    email: bool,
) -> list[Message]:
    """At booking: the convocation now and the reminder, for each channel asked and possible."""
    plans = _plan(
        appointment,
        (MessageRole.CONVOCATION, MessageRole.RAPPEL),
        sms=sms,
        email=email,
        now=timezone.now(),
    )
    return _create(appointment, plans, acting_user=acting_user, reason="convocation")


def notify_appointment_change(
    appointment: Appointment,
    role: str,
    *,
    acting_user: User | None,
    sms: bool,
    email: bool,
) -> list[Message]:
    """Annulation, report or absence; annulation and report first cancel the appointment's
    pending messages (its reminder, a convocation not sent yet)."""
    message_role = MessageRole(role)
    if message_role not in CHANGE_ROLES:
        raise ValueError(f"Objet de message inattendu : {role!r}")
    if message_role in (MessageRole.ANNULATION, MessageRole.REPORT):
        cancel_pending_for(appointment, acting_user=acting_user)
    plans = _plan(appointment, (message_role,), sms=sms, email=email, now=timezone.now())
    return _create(appointment, plans, acting_user=acting_user, reason=message_role.label)


def _cancel(queryset: Any, reason: str) -> int:
    return int(
        queryset.filter(state=MessageState.PROGRAMME).update(
            state=MessageState.ANNULE,
            next_attempt_at=None,
            last_error=reason[:500],
            updated_at=timezone.now(),
        )
    )


def cancel_pending_for(appointment: Appointment, *, acting_user: User | None = None) -> int:
    """Cancels the appointment's "programmé" messages; returns how many."""
    if appointment.pk is None:
        return 0
    return _cancel(
        Message.objects.filter(appointment_id=appointment.pk),
        "Annulé : le rendez-vous a changé.",
    )


# --- Staff actions ----------------------------------------------------------------------------


def _move(message: Message, target: MessageState, *, acting_user: User) -> Message:
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        check_move(locked.state, target)
        before = locked.state
        locked.state = target
        if target is MessageState.PROGRAMME:
            now = timezone.now()
            locked.attempts = 0
            locked.next_attempt_at = now
            locked.last_error = ""
        else:
            locked.next_attempt_at = None
            locked.last_error = "Annulé par le service."
        locked.save()
        record(
            AuditAction.MODIFICATION,
            actor=acting_user,
            obj=locked,
            person_public_id=locked.person.public_id,
            spip_id=locked.spip_id,
            details={"etat": [before, target.value]},
        )
        if target is MessageState.PROGRAMME:
            dispatch([locked])
    return locked


def retry_message(message: Message, *, acting_user: User) -> Message:
    """ "Relancer": a failed message goes back to "programmé", tried again at once."""
    return _move(message, MessageState.PROGRAMME, acting_user=acting_user)


def cancel_message(message: Message, *, acting_user: User) -> Message:
    return _move(message, MessageState.ANNULE, acting_user=acting_user)


# --- Sending ----------------------------------------------------------------------------------


def dispatch(messages: Sequence[Message]) -> None:
    """After commit, queues one task per message to run at its time (`run_after`). A queue that
    cannot defer (ImmediateBackend) gets the due ones only; `send_due_messages` catches up."""
    items = [(m.pk, m.next_attempt_at) for m in messages if m.next_attempt_at is not None]
    if not items:
        return

    def enqueue() -> None:
        from .tasks import send_message_task

        now = timezone.now()
        for pk, when in items:
            try:
                task = send_message_task
                if when > now:
                    if not task.get_backend().supports_defer:
                        continue
                    task = task.using(run_after=when)
                task.enqueue(pk)
            except Exception:  # the outbox row exists: send_due_messages will send it
                logger.exception("Mise en file du message %s impossible", pk)

    transaction.on_commit(enqueue)


def _locked(pk: int) -> Message | None:
    qs = Message.objects.select_related("person", "appointment")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.filter(pk=pk, state=MessageState.PROGRAMME).first()


def send_message(pk: int, *, now: datetime | None = None) -> str:
    """Sends one due message; returns what happened ("envoye", "delivre", "nouvel essai",
    "echoue", "annule", or "ignore" when not programmé, not due, or locked by another worker)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = _locked(pk)
        if message is None:
            return "ignore"
        if message.next_attempt_at is None or message.next_attempt_at > now:
            return "ignore"
        starts_at = message.appointment.starts_at if message.appointment else None
        if is_stale(message.role, starts_at, now):
            return _finish(message, MessageState.ANNULE, "Le rendez-vous est passé.")
        if message.channel == Channel.SMS and message.person.refuses_sms:
            return _finish(message, MessageState.ANNULE, "La personne a refusé les SMS.")
        message.attempts += 1
        try:
            result = provider_for(message.channel).send(message)
        except PermanentProviderError as error:
            return _finish(message, MessageState.ECHOUE, str(error))
        except TemporaryProviderError as error:
            outcome = after_temporary_failure(
                message.attempts,
                now,
                max_attempts=settings.PARCOURS_SMS_MAX_ATTEMPTS,
                retry_after=error.retry_after,
            )
            if outcome.state is MessageState.ECHOUE:
                return _finish(
                    message,
                    MessageState.ECHOUE,
                    f"{error} ({message.attempts} tentatives, abandon).",
                )
            message.next_attempt_at = outcome.next_attempt_at
            message.last_error = str(error)[:500]
            message.save(update_fields=["attempts", "next_attempt_at", "last_error", "updated_at"])
            dispatch([message])
            return "nouvel essai"
        except Exception as error:  # a bug or a misconfiguration: retried like a temporary error
            logger.exception("Envoi du message %s", pk)
            outcome = after_temporary_failure(
                message.attempts, now, max_attempts=settings.PARCOURS_SMS_MAX_ATTEMPTS
            )
            message.state = outcome.state.value
            message.next_attempt_at = outcome.next_attempt_at
            message.last_error = f"Erreur interne : {error}"[:500]
            message.save()
            if outcome.state is MessageState.PROGRAMME:
                dispatch([message])
                return "nouvel essai"
            return MessageState.ECHOUE.value
        message.provider_message_id = result.provider_message_id
        message.sent_at = now
        if result.delivered:
            message.delivered_at = now
            return _finish(message, MessageState.DELIVRE, "")
        return _finish(message, MessageState.ENVOYE, "")


def _finish(message: Message, target: MessageState, error: str) -> str:
    check_move(message.state, target)
    message.state = target.value
    message.next_attempt_at = None
    message.last_error = error[:500]
    message.save()
    return target.value


def send_due_messages(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Catch-up: sends every due message (oldest first). Safe to run from cron while workers
    run: each message is sent under its own row lock (skip_locked) and only if still due."""
    now = now or timezone.now()
    ids = list(
        Message.objects.due(now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for pk in ids:
        outcome = send_message(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def person_messages(person: Person, limit: int = 5) -> list[Message]:
    return list(
        Message.objects.filter(person_id=person.pk)
        .order_by("-send_at", "-pk")
        .only(
            "public_id",
            "role",
            "channel",
            "state",
            "send_at",
            "last_error",
            "person_id",
            "spip_id",
        )[:limit]
    )


def spip_of(user: User) -> Organisation | None:
    org = getattr(user, "organisation", None)
    return getattr(org, "spip", None) if org is not None else None
