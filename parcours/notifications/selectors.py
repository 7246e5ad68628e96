"""Reads of the outbox and of the SPIP's texts, each starting from the user's scope
(`access.messages_visible_to`) or their SPIP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from parcours.rules.notifications import Channel, MessageRole, MessageState

from .access import messages_visible_to
from .models import Message, MessageQuerySet, MessageTemplate, NotificationSettings
from .services import templates_for

if TYPE_CHECKING:
    from parcours.accounts.models import User
    from parcours.people.models import Person


def outbox(user: User, filters: dict[str, Any]) -> MessageQuerySet:
    """The messages the user may see, filtered (OutboxFilterForm's cleaned data), failed first,
    newest first; dates are days of the current time zone."""
    qs = messages_visible_to(user)
    if filters.get("etat"):
        qs = qs.filter(state=filters["etat"])
    if filters.get("objet"):
        qs = qs.filter(role=filters["objet"])
    if filters.get("canal"):
        qs = qs.filter(channel=filters["canal"])
    zone = timezone.get_current_timezone()
    if filters.get("du"):
        qs = qs.filter(send_at__gte=datetime.combine(filters["du"], time.min, tzinfo=zone))
    if filters.get("au"):
        end = datetime.combine(filters["au"] + timedelta(days=1), time.min, tzinfo=zone)
        qs = qs.filter(send_at__lt=end)
    failed_first = Case(
        When(state=MessageState.ECHOUE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.select_related("person").order_by(failed_first, "-send_at", "-pk")


def failed_count(user: User) -> int:
    return messages_visible_to(user).filter(state=MessageState.ECHOUE).count()


def person_messages(person: Person, limit: int = 5) -> list[Message]:
    """The last messages of a person whose file is open (the person panel)."""
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


def reminder_settings_row(spip_id: int) -> NotificationSettings:
    """The SPIP's reminder settings, or unsaved defaults."""
    return NotificationSettings.objects.filter(spip_id=spip_id).first() or NotificationSettings(
        spip_id=spip_id,
        reminder_days_before=settings.PARCOURS_REMINDER_DAYS,
        reminder_hour=settings.PARCOURS_REMINDER_HOUR,
    )


@dataclass(frozen=True)
class TemplateRow:
    role: MessageRole
    channel: Channel
    own: bool  # the SPIP's own text (else the national one)
    body: str


def template_rows(spip_id: int) -> list[TemplateRow]:
    """Every (role, channel) text in force for the SPIP: two queries."""
    own = set(MessageTemplate.objects.filter(spip_id=spip_id).values_list("role", "channel"))
    texts = templates_for(spip_id)
    return [
        TemplateRow(role, channel, (role.value, channel.value) in own, texts[(role, channel)][1])
        for role in MessageRole
        for channel in Channel
    ]


def own_template(spip_id: int, role: MessageRole, channel: Channel) -> MessageTemplate | None:
    return MessageTemplate.objects.filter(spip_id=spip_id, role=role, channel=channel).first()
