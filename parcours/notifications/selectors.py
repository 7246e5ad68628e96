"""Reads of the outbox and of the SPIP's texts, each starting from the user's scope
(`access.messages_visible_to`) or their SPIP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from parcours.people.models import Person
from parcours.rules.notifications import Channel, MessageRole, MessageState
from parcours.rules.vocabulary import InboundMatch

from .access import inbound_visible_to, messages_visible_to
from .models import (
    InboundMessage,
    Message,
    MessageQuerySet,
    MessageTemplate,
    NotificationSettings,
)
from .services import templates_for

if TYPE_CHECKING:
    from parcours.accounts.models import User


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


# --- Inbound SMS ------------------------------------------------------------------------------


def inbound_list(user: User, state: str) -> QuerySet[InboundMessage]:
    """The messages received that the user may see (access.inbound_visible_to), newest first:
    "a_lire" (unread items to read), "a_rattacher" (ambiguous numbers) or "tous"."""
    qs = inbound_visible_to(user)
    if state == "a_lire":
        qs = qs.filter(to_read=True, read_at__isnull=True)
    elif state == "a_rattacher":
        qs = qs.filter(match=InboundMatch.AMBIGU)
    return qs.select_related("person", "appointment").order_by("-received_at", "-pk")


def visible_candidates(user: User, inbound: InboundMessage) -> list[Person]:
    """The people of the user's SPIP an ambiguous number may belong to (never another SPIP's)."""
    return list(
        Person.objects.visible_to(user)
        .filter(inbound_candidacies__inbound=inbound)
        .select_related("referent")
        .order_by("last_name", "first_names", "pk")
    )


def person_inbound(person: Person, limit: int = 5) -> list[InboundMessage]:
    """The last SMS received from a person whose file is open (the person panel)."""
    return list(
        InboundMessage.objects.filter(person_id=person.pk).order_by("-received_at", "-pk")[:limit]
    )
