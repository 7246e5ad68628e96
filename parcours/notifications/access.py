"""The doors to the outbox: messages are reached only through the people the user may see.

- DPIP, DFSPIP, secrétariat: the messages of their SPIP's people;
- CPIP: the messages of the people they follow (referent);
- anyone else: no message (the views answer 403 by role first).
A message outside the scope is a 404, like an unknown identifier. `message_door` opens one
message and journals its consultation; `open_stop_link` is the public STOP link's door (a signed
token names the person, nothing else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from parcours.accounts.models import Role
from parcours.audit.services import record_consultation
from parcours.core.doors import Door, get_or_404
from parcours.people.models import Person
from parcours.people.selectors import followed_people
from parcours.rules.vocabulary import InboundMatch

from .models import InboundCandidate, InboundMessage, Message, MessageQuerySet
from .services import person_id_from_stop_token

if TYPE_CHECKING:
    from parcours.accounts.http import AuthedRequest
    from parcours.accounts.models import User

OUTBOX_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)
TEMPLATE_ROLES = (Role.DPIP, Role.DFSPIP)


def messages_visible_to(user: User) -> MessageQuerySet:
    if user.role not in OUTBOX_ROLES:
        return Message.objects.none()
    return Message.objects.filter(person__in=followed_people(user).values("pk"))


def get_message_for(user: User, public_id: UUID | str) -> Message:
    messages = messages_visible_to(user).select_related("person", "appointment")
    return get_or_404(messages, "Message introuvable.", public_id=public_id)


def open_message(request: AuthedRequest, public_id: UUID | str, *, journal: bool = True) -> Message:
    """The opener of `message_door`: 404 outside the scope; the consultation journaled."""
    message = get_message_for(request.user, public_id)
    if journal:
        record_consultation(request.user, message, message.person)
    return message


message_door: Door[Message] = Door("message", open_message)


def open_stop_link(token: str) -> Person:
    """The person a STOP link names; 404 for a tampered or unknown token."""
    public_id = person_id_from_stop_token(token)
    person = (
        Person.objects.filter(public_id=public_id)
        .only("pk", "public_id", "spip_id", "refuses_sms", "last_name", "first_names")
        .first()
        if public_id is not None
        else None
    )
    if person is None:
        raise Http404("Lien invalide.")
    return person


# --- Inbound SMS ("Messages reçus") -----------------------------------------------------------

INBOUND_ROLES = OUTBOX_ROLES
# Who attaches a message from a number shared by several people (triage).
TRIAGE_ROLES = (Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)


def inbound_visible_to(user: User) -> models.QuerySet[InboundMessage]:
    """A CPIP: the messages of the people they follow; the DPIP, DFSPIP and secretariat: those
    of their SPIP's people and the ambiguous ones naming one of them. Unknown numbers: nobody."""
    if user.role not in INBOUND_ROLES:
        return InboundMessage.objects.none()
    people = followed_people(user)
    if user.role == Role.CPIP:
        return InboundMessage.objects.filter(
            match=InboundMatch.PERSONNE, person__in=people.values("pk")
        )
    candidates = InboundCandidate.objects.filter(
        inbound_id=OuterRef("pk"), person_id__in=people.values("pk")
    )
    return InboundMessage.objects.filter(
        Q(match=InboundMatch.PERSONNE, person__in=people.values("pk"))
        | Q(Exists(candidates), match=InboundMatch.AMBIGU)
    )


def open_inbound(
    request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
) -> InboundMessage:
    """The opener of `inbound_door`: 404 outside the scope; the consultation journaled."""
    try:
        inbound = (
            inbound_visible_to(request.user)
            .select_related("person", "appointment", "read_by")
            .get(public_id=public_id)
        )
    except (InboundMessage.DoesNotExist, ValueError, ValidationError):
        raise Http404("Message introuvable.") from None
    if journal:
        record_consultation(request.user, inbound, inbound.person, object_label="SMS reçu")
    return inbound


inbound_door: Door[InboundMessage] = Door("sms_recu", open_inbound)
