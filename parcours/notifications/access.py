"""The door to the outbox: messages are reached only through the people the user may see.

- DPIP, DFSPIP, secrétariat: the messages of their SPIP's people;
- CPIP: the messages of the people they follow (referent);
- anyone else: no message (the views answer 403 by role first).
A message outside the scope is a 404, like an unknown identifier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.http import Http404

from parcours.accounts.models import Role
from parcours.people.models import Person

from .models import Message, MessageQuerySet

if TYPE_CHECKING:
    from parcours.accounts.models import User

OUTBOX_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)
TEMPLATE_ROLES = (Role.DPIP, Role.DFSPIP)


def messages_visible_to(user: User) -> MessageQuerySet:
    if user.role not in OUTBOX_ROLES:
        return Message.objects.none()
    people = Person.objects.visible_to(user)
    if user.role == Role.CPIP:
        people = people.filter(referent=user)
    return Message.objects.filter(person__in=people.values("pk"))


def get_message_for(user: User, public_id: UUID | str) -> Message:
    try:
        return (
            messages_visible_to(user)
            .select_related("person", "appointment")
            .get(public_id=public_id)
        )
    except (Message.DoesNotExist, ValueError):
        raise Http404("Message introuvable.") from None
