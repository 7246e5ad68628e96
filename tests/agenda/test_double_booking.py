"""An agent is never double-booked: every booking path (a slot, a proposed free slot, a free
time, a report) refuses an overlap with the agent's other planned appointments, and the free
slots proposed leave out those that overlap one. A person's other appointment the same day is
only a notice."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.agenda import services
from parcours.agenda.models import Agenda, Appointment, Slot
from parcours.agenda.services import BookingRefused, BookingRequest
from parcours.rules.agenda import AppointmentStatus
from tests.conftest import Cast
from tests.factories import PersonFactory
from tests.helpers import client_for

from .factories import agenda_for, appointment_type, make_appointment, next_open_day, with_slots

pytestmark = pytest.mark.django_db

BUSY = "L'agent a déjà un rendez-vous à cette heure-là"


def _first_slots(agenda: Agenda, count: int = 2) -> list[Slot]:
    return list(
        Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now()).order_by("starts_at")[
            :count
        ]
    )


def _request(cast: Cast, starts_at: datetime, **kw: Any) -> BookingRequest:
    return BookingRequest(
        person=kw.pop("person", cast.person),
        appointment_type=appointment_type(),
        agenda=kw.pop("agenda", None) or agenda_for(cast),
        starts_at=starts_at,
        duration=45,
        **kw,
    )


def _busy_at(cast: Cast, starts_at: datetime, **fields: Any) -> Appointment:
    """A planned appointment of the agent (cpip) with another person, outside any slot (as the
    demo's 09:10, 10:10… appointments)."""
    other = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    return make_appointment(cast, person=other, starts_at=starts_at, **fields)


def test_booking_a_slot_that_overlaps_an_agent_appointment_is_refused(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    [slot, _] = _first_slots(agenda)
    _busy_at(cast, slot.starts_at + timedelta(minutes=10))
    with pytest.raises(BookingRefused, match=BUSY):
        services.book(acting_user=cast.cpip, req=_request(cast, slot.starts_at, slot=slot))
    slot.refresh_from_db()
    assert slot.booked == 0
    assert not Appointment.objects.filter(person=cast.person).exists()


def test_a_cancelled_appointment_does_not_block_the_slot(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    [slot, _] = _first_slots(agenda)
    _busy_at(cast, slot.starts_at + timedelta(minutes=10), status=AppointmentStatus.ANNULE)
    [booked] = services.book(acting_user=cast.cpip, req=_request(cast, slot.starts_at, slot=slot))
    assert booked.slot == slot


def test_a_collective_slot_still_takes_several_people(cast: Cast) -> None:
    """The people of one collective slot share its time: they are not an overlap."""
    agenda = with_slots(agenda_for(cast), capacity=3, code="action_collective")
    [slot, _] = _first_slots(agenda)
    for _ in range(3):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        services.book(
            acting_user=cast.cpip, req=_request(cast, slot.starts_at, slot=slot, person=person)
        )
    assert Appointment.objects.filter(slot=slot).count() == 3


def test_rescheduling_into_an_overlapping_slot_is_refused(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    [slot, _] = _first_slots(agenda)
    _busy_at(cast, slot.starts_at - timedelta(minutes=20))
    first = make_appointment(cast, starts_at=next_open_day(agenda, days_ahead=10))
    with pytest.raises(BookingRefused, match=BUSY):
        services.reschedule(
            acting_user=cast.cpip,
            appointment=first,
            req=_request(cast, slot.starts_at, slot=slot),
            reason="Demande de la personne",
        )
    first.refresh_from_db()
    assert first.status == AppointmentStatus.PLANIFIE
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_rescheduling_into_an_overlapping_free_time_is_refused(cast: Cast) -> None:
    agenda = agenda_for(cast)
    start = next_open_day(agenda, days_ahead=10)
    _busy_at(cast, start)
    first = make_appointment(cast, starts_at=next_open_day(agenda, days_ahead=20))
    with pytest.raises(BookingRefused, match=BUSY):
        services.reschedule(
            acting_user=cast.cpip,
            appointment=first,
            req=_request(cast, start + timedelta(minutes=30)),
            reason="Demande de la personne",
        )


def test_rescheduling_half_an_hour_later_is_not_an_overlap_with_itself(cast: Cast) -> None:
    agenda = agenda_for(cast)
    first = make_appointment(cast, starts_at=next_open_day(agenda))
    new = services.reschedule(
        acting_user=cast.cpip,
        appointment=first,
        req=_request(cast, first.starts_at + timedelta(minutes=30)),
        reason="Retard prévu",
    )
    assert new.status == AppointmentStatus.PLANIFIE


def test_free_slots_leave_out_those_that_overlap_an_agent_appointment(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    [taken, free] = _first_slots(agenda)
    _busy_at(cast, taken.starts_at + timedelta(minutes=10))
    _busy_at(cast, free.starts_at + timedelta(minutes=45))  # back to back: no overlap
    response = client_for(cast.cpip).get(
        reverse("agenda:free_slots", args=[cast.person.public_id]),
        {"agenda": agenda.pk, "appointment_type": appointment_type().pk},
    )
    body = response.content.decode()
    assert str(free.public_id) in body
    assert str(taken.public_id) not in body


def test_booking_page_does_not_propose_an_overlapping_slot(cast: Cast) -> None:
    # The page proposes the slots of the type it defaults to: a first convocation.
    agenda = with_slots(agenda_for(cast), code="premiere_convocation")
    [taken, free] = _first_slots(agenda)
    _busy_at(cast, taken.starts_at + timedelta(minutes=10))
    page = client_for(cast.cpip).get(reverse("agenda:book", args=[cast.person.public_id]))
    body = page.content.decode()
    assert str(free.public_id) in body
    assert str(taken.public_id) not in body
    # Chosen from the agenda's day page: not proposed either.
    chosen = client_for(cast.cpip).get(
        reverse("agenda:book", args=[cast.person.public_id]), {"creneau": str(taken.public_id)}
    )
    assert str(taken.public_id) not in chosen.content.decode()


def test_posting_an_overlapping_proposed_slot_is_a_400_with_the_french_message(
    cast: Cast,
) -> None:
    agenda = with_slots(agenda_for(cast))
    [slot, _] = _first_slots(agenda)
    _busy_at(cast, slot.starts_at + timedelta(minutes=10))
    response = client_for(cast.cpip).post(
        reverse("agenda:book", args=[cast.person.public_id]),
        {
            "appointment_type": slot.appointment_type_id,
            "agenda": agenda.pk,
            "slot": str(slot.public_id),
            "sms": "on",
        },
    )
    assert response.status_code == 400
    assert "L&#x27;agent a déjà un rendez-vous à cette heure-là" in response.content.decode()
    assert not Appointment.objects.filter(person=cast.person).exists()


def _same_day_setup(cast: Cast) -> tuple[Agenda, datetime]:
    """The person already has a planned appointment at 09:00 with another agent; the booking is
    at 15:00 the same day in the referent's agenda."""
    agenda = agenda_for(cast)
    afternoon = next_open_day(agenda, hour=15)
    morning = afternoon - timedelta(hours=6)
    other_agenda = agenda_for(cast, cast.cpip2)
    Appointment.objects.create(
        person=cast.person,
        spip_id=cast.person.spip_id,
        appointment_type=appointment_type(),
        place=other_agenda.place,
        agenda=other_agenda,
        agent=cast.cpip2,
        starts_at=morning,
        ends_at=morning + timedelta(minutes=45),
    )
    return agenda, afternoon


def _form_data(agenda: Agenda, starts_at: datetime) -> dict[str, object]:
    local = starts_at.astimezone(agenda.place.tz)
    return {
        "appointment_type": appointment_type().pk,
        "agenda": agenda.pk,
        "slot": "",
        "day": local.date().isoformat(),
        "start": f"{local:%H:%M}",
        "duration": "45",
    }


def test_the_preview_says_the_person_already_has_an_appointment_that_day(cast: Cast) -> None:
    agenda, afternoon = _same_day_setup(cast)
    response = client_for(cast.cpip).post(
        reverse("agenda:preview", args=[cast.person.public_id]), _form_data(agenda, afternoon)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "La personne a déjà un rendez-vous ce jour-là" in body
    assert "09:00" in body
    # Another day: no notice.
    other_day = client_for(cast.cpip).post(
        reverse("agenda:preview", args=[cast.person.public_id]),
        _form_data(agenda, afternoon + timedelta(days=7)),
    )
    assert "déjà un rendez-vous ce jour-là" not in other_day.content.decode()


def test_booking_the_same_day_is_accepted_with_a_notice(cast: Cast) -> None:
    agenda, afternoon = _same_day_setup(cast)
    response = client_for(cast.cpip).post(
        reverse("agenda:book", args=[cast.person.public_id]),
        _form_data(agenda, afternoon),
        follow=True,
    )
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    body = response.content.decode()
    assert "La personne a déjà un rendez-vous ce jour-là" in body
    assert Appointment.objects.filter(person=cast.person).count() == 2
