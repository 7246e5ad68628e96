"""Places, agendas and appointments made directly with the ORM (the agenda's services are the
lead's), and messages in a given state."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from parcours.agenda.models import Agenda, Appointment, AppointmentType, Place
from parcours.notifications.models import Message
from parcours.rules.notifications import Channel, MessageRole, MessageState


def make_place(spip: Any, **overrides: Any) -> Place:
    values = {
        "organisation": spip,
        "spip": spip,
        "name": "Antenne de Lille",
        "address": "12 rue Nationale",
        "postal_code": "59000",
        "city": "Lille",
        "phone": "+33320123456",
        "access_url": "https://exemple.justice.fr/lille",
    }
    values.update(overrides)
    return Place.objects.create(**values)


def make_appointment(
    person: Any,
    starts_at: datetime | None = None,
    *,
    place: Place | None = None,
    agent: Any = None,
    type_code: str = "suivi",
) -> Appointment:
    place = place or Place.objects.filter(spip=person.spip).first() or make_place(person.spip)
    agenda, _ = Agenda.objects.get_or_create(
        place=place, agent=agent or person.referent, defaults={"label": "Agenda"}
    )
    starts_at = starts_at or timezone.now() + timedelta(days=5)
    return Appointment.objects.create(
        person=person,
        spip=person.spip,
        appointment_type=AppointmentType.objects.get(code=type_code),
        place=place,
        agenda=agenda,
        agent=agent or person.referent,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
    )


def make_message(person: Any, state: str = MessageState.ECHOUE, **overrides: Any) -> Message:
    now = timezone.now()
    values: dict[str, Any] = {
        "person": person,
        "spip": person.spip,
        "role": MessageRole.CONVOCATION,
        "channel": Channel.SMS,
        "recipient": "+33612345678",
        "body": "SPIP : vous êtes convoqué(e) le mardi 1 décembre à 14h30.",
        "send_at": now,
        "next_attempt_at": now if state == MessageState.PROGRAMME else None,
        "state": state,
        "attempts": 6 if state == MessageState.ECHOUE else 0,
        "last_error": "Erreur du prestataire (500)." if state == MessageState.ECHOUE else "",
    }
    values.update(overrides)
    return Message.objects.create(**values)


def failed_message(person: Any) -> Message:
    """The person's first failed message (made on first use): rows of the access matrix."""
    existing = Message.objects.filter(person=person, state=MessageState.ECHOUE).first()
    return existing or make_message(person)


def first_inbound(person: Any) -> Any:
    """An SMS received from the person, to read (made on first use): rows of the access matrix."""
    from parcours.notifications.models import InboundMessage
    from parcours.rules.vocabulary import InboundKeyword, InboundMatch

    existing = InboundMessage.objects.filter(person=person).first()
    return existing or InboundMessage.objects.create(
        provider_message_id=f"matrice-{person.public_id}",
        number="+33612345678",
        text="Bonjour, je cherche l'adresse de l'antenne.",
        received_at=timezone.now(),
        keyword=InboundKeyword.AUTRE,
        match=InboundMatch.PERSONNE,
        person=person,
    )
