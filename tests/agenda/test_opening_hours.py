"""Appointments and slot templates stay within the service's opening hours (07:00–20:00 local
time of the place's SPIP): a time typed by hand at 03:00 is refused with a French message."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.agenda import services
from parcours.agenda.models import Appointment, SlotTemplate
from parcours.agenda.services import BookingRefused, BookingRequest
from tests.conftest import Cast
from tests.helpers import client_for

from .factories import agenda_for, appointment_type, next_open_day

pytestmark = pytest.mark.django_db

OUTSIDE = re.escape("en dehors des heures d'ouverture du service (de 07:00 à 20:00)")


def _at(cast: Cast, hour: int, minute: int = 0, *, duration: int = 45, other: bool = False):
    agenda = agenda_for(cast, other=other)
    day = next_open_day(agenda).astimezone(agenda.place.tz).date()
    starts = datetime.combine(day, time(hour, minute), tzinfo=agenda.place.tz)
    return BookingRequest(
        person=cast.other_person if other else cast.person,
        appointment_type=appointment_type(),
        agenda=agenda,
        starts_at=starts,
        duration=duration,
    )


@pytest.mark.parametrize(
    ("hour", "minute", "duration"),
    [(3, 0, 45), (6, 55, 45), (19, 30, 45), (20, 0, 30), (23, 0, 30)],
)
def test_a_time_outside_opening_hours_is_refused(
    cast: Cast, hour: int, minute: int, duration: int
) -> None:
    with pytest.raises(BookingRefused, match=OUTSIDE):
        services.book(acting_user=cast.cpip, req=_at(cast, hour, minute, duration=duration))
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("hour", "minute", "duration"), [(7, 0, 45), (19, 15, 45)])
def test_the_bounds_themselves_are_open(cast: Cast, hour: int, minute: int, duration: int) -> None:
    [appointment] = services.book(
        acting_user=cast.cpip, req=_at(cast, hour, minute, duration=duration)
    )
    assert appointment.pk is not None


def test_opening_hours_are_read_in_the_spips_own_zone(cast: Cast) -> None:
    """08:00 in La Réunion is 05:00 in Paris: open there; 03:00 there is closed."""
    [appointment] = services.book(acting_user=cast.cpip_autre, req=_at(cast, 8, other=True))
    assert appointment.local_start.hour == 8
    with pytest.raises(BookingRefused, match=OUTSIDE):
        services.book(acting_user=cast.cpip_autre, req=_at(cast, 3, other=True))


def test_booking_page_refuses_three_in_the_morning_with_a_400(cast: Cast) -> None:
    agenda = agenda_for(cast)
    day = next_open_day(agenda).astimezone(agenda.place.tz).date()
    response = client_for(cast.cpip).post(
        reverse("agenda:book", args=[cast.person.public_id]),
        {
            "appointment_type": appointment_type().pk,
            "agenda": agenda.pk,
            "slot": "",
            "day": day.isoformat(),
            "start": "03:00",
            "duration": "45",
        },
    )
    assert response.status_code == 400
    assert "en dehors des heures d&#x27;ouverture du service" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_series_with_a_date_outside_hours_is_refused_whole(cast: Cast) -> None:
    with pytest.raises(BookingRefused, match=OUTSIDE):
        services.book(acting_user=cast.cpip, req=_at(cast, 21), every_weeks=1, count=3)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("start", "duration"), [("06:00", 45), ("19:30", 45), ("03:00", 30)])
def test_a_slot_template_outside_opening_hours_is_refused(
    cast: Cast, start: str, duration: int
) -> None:
    agenda = agenda_for(cast)
    response = client_for(cast.dpip).post(
        reverse("agenda:template_create", args=[agenda.public_id]),
        {
            "weekday": 2,
            "start_time": start,
            "duration": duration,
            "capacity": 1,
            "appointment_type": appointment_type().pk,
            "valid_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "en dehors des heures d&#x27;ouverture du service" in response.content.decode()
    assert not SlotTemplate.objects.filter(agenda=agenda).exists()


def test_the_template_service_refuses_it_too(cast: Cast) -> None:
    template = SlotTemplate(
        agenda=agenda_for(cast),
        weekday=2,
        start_time=time(5, 0),
        duration=45,
        capacity=1,
        appointment_type=appointment_type(),
        valid_from=timezone.localdate(),
    )
    with pytest.raises(BookingRefused, match=OUTSIDE):
        services.save_template(acting_user=cast.dpip, template=template)
    assert template.pk is None


def test_a_template_within_hours_is_saved(cast: Cast) -> None:
    template = SlotTemplate(
        agenda=agenda_for(cast),
        weekday=2,
        start_time=time(19, 15),
        duration=45,
        capacity=1,
        appointment_type=appointment_type(),
        valid_from=timezone.localdate() + timedelta(days=1),
    )
    services.save_template(acting_user=cast.dpip, template=template)
    assert template.pk is not None
