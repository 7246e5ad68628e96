"""Booking, outcomes, rescheduling and reception, through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from parcours.agenda import services
from parcours.agenda.models import Appointment, Slot
from parcours.agenda.services import BookingRefused, BookingRequest
from parcours.audit.models import AuditEvent
from parcours.core.errors import ConflictError
from parcours.rules.agenda import Action, AppointmentStatus
from tests.conftest import Cast

from .factories import agenda_for, appointment_type, make_appointment, next_open_day, with_slots

pytestmark = pytest.mark.django_db
S = AppointmentStatus


def request_for(cast: Cast, starts_at: datetime, **kw: Any) -> BookingRequest:
    agenda = kw.pop("agenda", None) or agenda_for(cast)
    return BookingRequest(
        person=kw.pop("person", cast.person),
        appointment_type=kw.pop("appointment_type", appointment_type()),
        agenda=agenda,
        starts_at=starts_at,
        duration=kw.pop("duration", 45),
        **kw,
    )


def test_booking_a_free_time_is_journaled(cast: Cast) -> None:
    start = next_open_day(agenda_for(cast))
    [appointment] = services.book(acting_user=cast.secretariat, req=request_for(cast, start))
    assert appointment.status == S.PLANIFIE
    assert appointment.agent == cast.cpip
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=45)
    event = AuditEvent.objects.get(object_id=str(appointment.public_id))
    assert event.action == "creation" and event.actor == cast.secretariat


def test_double_booking_of_an_agent_is_refused(cast: Cast) -> None:
    start = next_open_day(agenda_for(cast))
    services.book(acting_user=cast.cpip, req=request_for(cast, start))
    overlapping = start + timedelta(minutes=30)
    with pytest.raises(BookingRefused, match="déjà un rendez-vous"):
        services.book(acting_user=cast.cpip, req=request_for(cast, overlapping))
    # Back to back is fine.
    services.book(acting_user=cast.cpip, req=request_for(cast, start + timedelta(minutes=45)))
    assert Appointment.objects.filter(agent=cast.cpip).count() == 2


def test_a_full_slot_is_refused(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    slot = (
        Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    assert slot is not None
    req = request_for(cast, slot.starts_at, slot=slot)
    services.book(acting_user=cast.cpip, req=req)
    slot.refresh_from_db()
    assert slot.booked == 1
    with pytest.raises(BookingRefused, match="vient d'être complété"):
        services.book(acting_user=cast.cpip, req=request_for(cast, slot.starts_at, slot=slot))
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_a_collective_slot_takes_several_people(cast: Cast) -> None:
    from tests.factories import PersonFactory

    agenda = with_slots(agenda_for(cast), capacity=2, code="action_collective")
    slot = (
        Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    assert slot is not None
    other = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    for person in (cast.person, other):
        services.book(
            acting_user=cast.cpip, req=request_for(cast, slot.starts_at, slot=slot, person=person)
        )
    third = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    with pytest.raises(BookingRefused):
        services.book(
            acting_user=cast.cpip, req=request_for(cast, slot.starts_at, slot=slot, person=third)
        )


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda now: now - timedelta(hours=1), "passée"),
        (lambda now: now + timedelta(days=400), "plus d'un an"),
    ],
)
def test_dates_in_the_past_or_beyond_a_year_are_refused(
    cast: Cast, when: Any, message: str
) -> None:
    with pytest.raises(BookingRefused, match=message):
        services.book(acting_user=cast.cpip, req=request_for(cast, when(timezone.now())))


@time_machine.travel(datetime(2027, 3, 16, 9, 30, tzinfo=UTC), tick=True)
def test_a_holiday_is_refused_but_a_tig_placement_may_take_it(cast: Cast) -> None:
    agenda = agenda_for(cast)
    # 14 July 2027 is a Wednesday: closed only because it is the Fête nationale.
    bastille_day = datetime.combine(date(2027, 7, 14), time(10, 0), tzinfo=agenda.place.tz)
    assert timezone.now() < bastille_day < timezone.now() + timedelta(days=365)
    with pytest.raises(BookingRefused, match="Jour férié : Fête nationale"):
        services.book(acting_user=cast.cpip, req=request_for(cast, bastille_day))
    [tig] = services.book(
        acting_user=cast.cpip,
        req=request_for(cast, bastille_day, appointment_type=appointment_type("placement_tig")),
    )
    assert tig.status == S.PLANIFIE


def test_a_place_of_another_spip_is_refused(cast: Cast) -> None:
    other_agenda = agenda_for(cast, other=True)
    start = next_open_day(other_agenda)
    with pytest.raises(BookingRefused, match="n'appartient pas au SPIP"):
        services.book(acting_user=cast.cpip, req=request_for(cast, start, agenda=other_agenda))


def test_a_series_every_two_weeks_is_all_or_nothing(cast: Cast) -> None:
    from parcours.rules.agenda import is_closed_day

    agenda = agenda_for(cast)
    ahead = 7
    while True:  # a start whose four fortnightly dates are all open days
        start = next_open_day(agenda, ahead)
        days = [
            (start + timedelta(weeks=2 * i)).astimezone(agenda.place.tz).date() for i in range(4)
        ]
        if not any(is_closed_day(d, None, weekend_allowed=False) for d in days):
            break
        ahead += 1
    created = services.book(
        acting_user=cast.cpip, req=request_for(cast, start), every_weeks=2, count=4
    )
    assert len(created) == 4
    assert len({a.series for a in created}) == 1 and created[0].series is not None
    local_times = {a.starts_at.astimezone(agenda.place.tz).time() for a in created}
    assert local_times == {time(15, 0)}
    # A series that would cross the one-year limit creates nothing.
    before = Appointment.objects.count()
    with pytest.raises(BookingRefused, match="plus d'un an"):
        services.book(
            acting_user=cast.cpip,
            req=request_for(cast, start + timedelta(hours=1)),
            every_weeks=12,
            count=6,
        )
    assert Appointment.objects.count() == before


def test_outcomes_follow_the_state_machine(cast: Cast) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=2))
    services.record_outcome(acting_user=cast.cpip, appointment=past, action=Action.ABSENT)
    past.refresh_from_db()
    assert past.status == S.ABSENT and past.outcome_by == cast.cpip
    with pytest.raises(BookingRefused, match="Indiquez le motif"):
        services.record_outcome(acting_user=cast.cpip, appointment=past, action=Action.EXCUSER)
    services.record_outcome(
        acting_user=cast.cpip,
        appointment=past,
        action=Action.EXCUSER,
        reason="Hospitalisation",
        proof="Bulletin d'hospitalisation",
    )
    past.refresh_from_db()
    assert past.status == S.EXCUSE and past.outcome_proof == "Bulletin d'hospitalisation"


def test_no_outcome_before_the_appointment(cast: Cast) -> None:
    future = make_appointment(cast)
    with pytest.raises(BookingRefused, match="pas encore commencé"):
        services.record_outcome(acting_user=cast.cpip, appointment=future, action=Action.HONORER)


def test_a_stale_outcome_is_a_conflict(cast: Cast) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=2))
    version = past.version
    services.record_outcome(
        acting_user=cast.cpip, appointment=past, action=Action.HONORER, expected_version=version
    )
    stale = Appointment.objects.get(pk=past.pk)
    stale.status = S.PLANIFIE  # the second agent's page still shows it planned
    with pytest.raises(ConflictError):
        services.record_outcome(
            acting_user=cast.cpip2,
            appointment=stale,
            action=Action.HONORER,
            expected_version=version,
        )
    assert Appointment.objects.get(pk=past.pk).status == S.HONORE


def test_cancelling_frees_the_slot(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    slot = (
        Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    assert slot is not None
    [appointment] = services.book(
        acting_user=cast.cpip, req=request_for(cast, slot.starts_at, slot=slot)
    )
    services.record_outcome(
        acting_user=cast.cpip, appointment=appointment, action=Action.ANNULER, reason="Erreur"
    )
    slot.refresh_from_db()
    assert slot.booked == 0


def test_rescheduling_keeps_the_history(cast: Cast) -> None:
    agenda = agenda_for(cast)
    start = next_open_day(agenda)
    [first] = services.book(acting_user=cast.cpip, req=request_for(cast, start))
    new = services.reschedule(
        acting_user=cast.cpip,
        appointment=first,
        req=request_for(cast, start + timedelta(days=7)),
        reason="Demande de la personne (travail)",
    )
    first.refresh_from_db()
    assert first.status == S.REPORTE and first.rescheduled_to == new
    assert new.rescheduled_from == first
    assert new.status == S.PLANIFIE
    assert Appointment.objects.filter(person=cast.person).count() == 2


def test_reschedule_needs_a_reason(cast: Cast) -> None:
    first = make_appointment(cast)
    with pytest.raises(BookingRefused, match="motif du report"):
        services.reschedule(
            acting_user=cast.cpip,
            appointment=first,
            req=request_for(cast, first.starts_at + timedelta(days=7)),
            reason=" ",
        )


def test_reception_marks_arrival_once(cast: Cast) -> None:
    today = make_appointment(cast, starts_at=timezone.now() + timedelta(minutes=10))
    services.mark_arrived(acting_user=cast.secretariat, appointment=today)
    first_time = Appointment.objects.get(pk=today.pk).arrived_at
    assert first_time is not None
    services.mark_arrived(acting_user=cast.secretariat, appointment=today)
    assert Appointment.objects.get(pk=today.pk).arrived_at == first_time
    honoured = make_appointment(cast, starts_at=timezone.now() - timedelta(days=1))
    services.record_outcome(acting_user=cast.cpip, appointment=honoured, action=Action.HONORER)
    with pytest.raises(BookingRefused):
        services.mark_arrived(acting_user=cast.secretariat, appointment=honoured)


def test_overlapping_templates_are_refused(cast: Cast) -> None:
    from parcours.agenda.models import SlotTemplate

    agenda = with_slots(agenda_for(cast))
    clash = SlotTemplate(
        agenda=agenda,
        weekday=0,
        start_time=time(10, 30),
        duration=30,
        capacity=1,
        appointment_type=appointment_type(),
        valid_from=timezone.localdate(),
    )
    with pytest.raises(BookingRefused, match="chevauche"):
        services.save_template(acting_user=cast.dpip, template=clash)


def test_slot_generation_is_idempotent(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    count = Slot.objects.filter(agenda=agenda).count()
    assert count > 50
    assert services.generate_agenda_slots(agenda) == 0
    assert Slot.objects.filter(agenda=agenda).count() == count


def test_generate_slots_command_is_idempotent(cast: Cast) -> None:
    import io

    from django.core.management import call_command

    agenda = with_slots(agenda_for(cast))
    Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now() + timedelta(days=30)).delete()
    out = io.StringIO()
    call_command("generate_slots", stdout=out)
    assert "nouveau(x) pour 1 agenda(s)" in out.getvalue()
    assert not out.getvalue().startswith("Créneaux générés : 0 ")
    again = io.StringIO()
    call_command("generate_slots", stdout=again)
    assert again.getvalue().startswith("Créneaux générés : 0 nouveau(x)")
