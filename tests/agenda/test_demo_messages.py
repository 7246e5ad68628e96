"""The agenda's demo fills the outbox with the messages of the next appointments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from parcours.agenda.demo import seed_messages
from parcours.notifications.models import Message

from ..factories import PersonFactory
from ..notifications.factories import make_appointment

pytestmark = pytest.mark.django_db


def test_demo_seed_is_a_no_op_without_appointments(cast: Any) -> None:
    assert seed_messages({"spip59": cast.spip, "spip974": cast.other_spip}, {}) == {"messages": 0}
    assert not Message.objects.exists()


def test_demo_seed_fills_the_outbox_once(cast: Any) -> None:
    for index in range(9):
        person = PersonFactory(
            spip=cast.spip, antenna=cast.antenna, referent=cast.cpip, phone=f"+3361234567{index}"
        )
        make_appointment(person, timezone.now() + timedelta(days=6, hours=index))
    orgs = {"spip59": cast.spip, "spip974": cast.other_spip}
    assert seed_messages(orgs, {}) == {"messages": 18}
    states = list(Message.objects.values_list("state", flat=True))
    assert states.count("delivre") == 3
    assert states.count("echoue") == 2
    assert seed_messages(orgs, {}) == {}
