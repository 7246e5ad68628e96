"""Appointment and slot labels (their `__str__`, used in forms, lists and the journal's object
label) say the local time of the place's SPIP in French: never "UTC", never a UTC hour."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parcours.agenda.models import Slot
from tests.conftest import Cast

from .factories import agenda_for, appointment_type, make_appointment

pytestmark = pytest.mark.django_db

# 13:30 UTC on Tuesday 1 December 2026: 14:30 in Lille (UTC+1), 17:30 in La Réunion (UTC+4).
MOMENT = datetime(2026, 12, 1, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(("other", "local"), [(False, "14 h 30"), (True, "17 h 30")])
def test_appointment_label_is_local_and_french(cast: Cast, other: bool, local: str) -> None:
    person = cast.other_person if other else cast.person
    appointment = make_appointment(cast, person=person, starts_at=MOMENT)
    label = str(appointment)
    assert label == f"{appointment.appointment_type.label} du mardi 1 décembre 2026 à {local}"
    assert "UTC" not in label and "13 h 30" not in label and "/" not in label


@pytest.mark.parametrize(("other", "local"), [(False, "14 h 30"), (True, "17 h 30")])
def test_slot_label_is_local_and_french(cast: Cast, other: bool, local: str) -> None:
    slot = Slot.objects.create(
        agenda=agenda_for(cast, other=other),
        appointment_type=appointment_type("suivi"),
        starts_at=MOMENT,
        ends_at=MOMENT.replace(hour=14, minute=15),
    )
    assert str(slot) == f"Créneau du mardi 1 décembre 2026 à {local}"
