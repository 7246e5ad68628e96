"""The outbox: messages written in the business transaction, sent later by the worker.

API used by the agenda's booking and outcome services (inside their transaction):

- `schedule_appointment_messages(appointment, acting_user=…, sms=…, email=…)` at booking:
  the "convocation" now and the "rappel" at J-2 (J-1 per SPIP) 10:00 local time;
- `notify_appointment_change(appointment, role, …)` for "annulation", "report", "absence"
  (annulation and report also cancel the appointment's pending messages);
- `cancel_pending_for(appointment)`; `preview_messages(appointment, …)` (unsaved appointment too);
- `sms_possible(person)`: None, or the French reason why no SMS can be sent.

The staff's writes (retry, cancel, the SPIP's texts and reminder settings) are here too, each
journaled. Sending is in `tasks` (the task, `dispatch` after commit, the cron catch-up).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.models import Organisation
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError
from parcours.people.models import Person, related_manager
from parcours.people.phones import PhoneError, display_phone, normalise_french_mobile
from parcours.rules.french import agree
from parcours.rules.notifications import (
    GENDERED_PLACEHOLDERS,
    Channel,
    MessageRole,
    MessageState,
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
from .tasks import dispatch

if TYPE_CHECKING:
    from parcours.accounts.models import User
    from parcours.agenda.models import Appointment

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
    with transaction.atomic():
        changed = Person.objects.filter(pk=person.pk, refuses_sms=False).update(
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
                person=person,
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
    appointment: Appointment | SampleAppointment, channel: Channel | str, *, stop: str = ""
) -> dict[str, str]:
    place = appointment.place
    tz_name = place.spip.timezone
    sex = appointment.person.sex
    gendered = {name: agree(sex, word) for name, word in GENDERED_PLACEHOLDERS.items()}
    return {
        **gendered,
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
    subject: str,
    body: str,
    appointment: Appointment | SampleAppointment,
    channel: Channel | str,
    *,
    stop: str = "",
) -> tuple[str, str]:
    values = placeholder_values(appointment, channel, stop=stop)
    if Channel(channel) is Channel.SMS:
        return "", to_gsm(render(body, values)).strip()
    return render(subject, values).strip(), render(body, values).strip()


# --- The SPIP's texts and reminder settings (DPIP, DFSPIP) ------------------------------------


@dataclass(frozen=True)
class SampleType:
    label: str = "Entretien de suivi SPIP"


@dataclass(frozen=True)
class SamplePlace:
    """Example values, when the SPIP has no place yet."""

    spip: Organisation
    name: str = "Antenne du SPIP"
    address: str = "1 rue de la République"
    postal_code: str = "59000"
    city: str = "Lille"
    phone: str = "+33320000000"
    access_url: str = "https://exemple.justice.fr/acces"

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.postal_code} {self.city}"


@dataclass(frozen=True)
class SampleAppointment:
    """An appointment with example values, never saved, for the preview of a text."""

    person: Person
    place: Any  # the SPIP's first place (agenda.Place), or a SamplePlace
    appointment_type: SampleType
    starts_at: datetime


def sample_appointment(spip: Organisation) -> SampleAppointment:
    """Next week at 14:30 (the SPIP's time) in the SPIP's first active place. The places are
    read through the `places` relation: the agenda sits above this app, which never imports it."""
    place = (
        related_manager(Organisation, "places")
        .filter(spip=spip, is_active=True)
        .select_related("spip")
        .order_by("pk")
        .first()
    ) or SamplePlace(spip)
    day = timezone.localdate() + timedelta(days=7)
    return SampleAppointment(
        person=Person(public_id=uuid.UUID(int=0), last_name="EXEMPLE", first_names="Exemple"),
        place=place,
        appointment_type=SampleType(),
        starts_at=datetime.combine(day, time(14, 30), tzinfo=ZoneInfo(spip.timezone)),
    )


def _record_template_change(
    acting_user: User, spip_id: int, role: MessageRole, channel: Channel, text: str
) -> None:
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        object_type="messagetemplate",
        object_id=f"{role.value}/{channel.value}",
        object_label=f"Modèle {role.label} ({channel.label})",
        spip_id=spip_id,
        details={"texte": text},
    )


def save_template(
    *,
    acting_user: User,
    spip_id: int,
    role: MessageRole,
    channel: Channel,
    subject: str,
    body: str,
    based_on: str,
) -> MessageTemplate:
    """The SPIP's own text for (role, channel). `based_on` is the `updated_at` of the text the
    editor started from ("" for the national one): a text saved since is never overwritten
    (ConflictError carrying the saved text)."""
    with transaction.atomic():
        saved = (
            MessageTemplate.objects.select_for_update()
            .filter(spip_id=spip_id, role=role, channel=channel)
            .first()
        )
        if (saved.updated_at.isoformat() if saved is not None else "") != based_on:
            if saved is None:  # the SPIP's text was removed since: the national one applies
                national_subject, national_body = templates_for(spip_id)[(role, channel)]
                saved = MessageTemplate(subject=national_subject, body=national_body)
            raise ConflictError(current=saved)
        template, _created = MessageTemplate.objects.update_or_create(
            spip_id=spip_id,
            role=role,
            channel=channel,
            defaults={"subject": subject, "body": body, "updated_by": acting_user},
        )
        _record_template_change(acting_user, spip_id, role, channel, body[:500])
    return template


def restore_national_template(
    *, acting_user: User, spip_id: int, role: MessageRole, channel: Channel
) -> None:
    """Removes the SPIP's own text: the national one applies again."""
    with transaction.atomic():
        MessageTemplate.objects.filter(spip_id=spip_id, role=role, channel=channel).delete()
        _record_template_change(acting_user, spip_id, role, channel, "texte national rétabli")


def save_reminder_settings(
    *, acting_user: User, spip_id: int, reminder_days_before: int, reminder_hour: int
) -> NotificationSettings:
    with transaction.atomic():
        row, _created = NotificationSettings.objects.update_or_create(
            spip_id=spip_id,
            defaults={
                "reminder_days_before": reminder_days_before,
                "reminder_hour": reminder_hour,
            },
        )
        record(
            AuditAction.MODIFICATION,
            actor=acting_user,
            obj=row,
            object_id=str(row.pk),
            spip_id=spip_id,
            details={"rappel_jours_avant": reminder_days_before, "rappel_heure": reminder_hour},
        )
    return row


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
        person=person,
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
