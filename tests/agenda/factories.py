"""Places, agendas and appointments for tests (ORM only; services are under test elsewhere)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from parcours.agenda.models import Agenda, Appointment, AppointmentType, Place, SlotTemplate
from parcours.agenda.services import generate_agenda_slots


def appointment_type(code: str = "suivi") -> AppointmentType:
    return AppointmentType.objects.get(code=code)


def place_for(cast: Any, *, other: bool = False) -> Place:
    """The Lille place of cast.antenna (or Saint-Denis of the other SPIP)."""
    antenna = cast.other_antenna if other else cast.antenna
    spip = cast.other_spip if other else cast.spip
    found = Place.objects.filter(organisation=antenna).first()
    if found:
        return found
    return Place.objects.create(
        organisation=antenna,
        spip=spip,
        name="Antenne de Saint-Denis" if other else "SPIP Lille",
        address="8 rue de Paris" if other else "12 rue de la Justice",
        postal_code="97400" if other else "59000",
        city="Saint-Denis" if other else "Lille",
        phone="+262262000000" if other else "+33320000000",
    )


def agenda_for(cast: Any, user: Any = None, *, other: bool = False) -> Agenda:
    user = user or (cast.cpip_autre if other else cast.cpip)
    place = place_for(cast, other=other)
    agenda, _ = Agenda.objects.get_or_create(
        place=place, agent=user, defaults={"label": f"Agenda de {user.get_full_name()}"}
    )
    return agenda


def with_slots(agenda: Agenda, *, capacity: int = 1, code: str = "suivi") -> Agenda:
    """Every weekday at 10:00 (local), generated for the coming 120 days."""
    for weekday in range(5):
        SlotTemplate.objects.get_or_create(
            agenda=agenda,
            weekday=weekday,
            start_time=time(10, 0),
            defaults={
                "duration": 45,
                "capacity": capacity,
                "appointment_type": appointment_type(code),
                "valid_from": timezone.localdate(),
            },
        )
    generate_agenda_slots(agenda)
    return agenda


def next_open_day(agenda: Agenda, days_ahead: int = 7, hour: int = 15) -> datetime:
    """A weekday, not a holiday, `days_ahead` or more days from now, at `hour` local time."""
    from parcours.rules.agenda import is_closed_day

    day = timezone.localdate() + timedelta(days=days_ahead)
    while is_closed_day(day, agenda.place.holiday_subdivision, weekend_allowed=False):
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, 0), tzinfo=agenda.place.tz).astimezone(UTC)


def make_appointment(
    cast: Any, *, person: Any = None, starts_at: datetime | None = None, **fields: Any
) -> Appointment:
    person = person or cast.person
    other = person.spip_id == cast.other_spip.pk
    agenda = agenda_for(cast, other=other)
    starts_at = starts_at or next_open_day(agenda)
    return Appointment.objects.create(
        person=person,
        spip_id=person.spip_id,
        appointment_type=fields.pop("appointment_type", None) or appointment_type(),
        place=agenda.place,
        agenda=agenda,
        agent=agenda.agent,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        **fields,
    )


def first_appointment(cast: Any, person: Any = None) -> Appointment:
    person = person or cast.person
    found = Appointment.objects.filter(person=person).order_by("pk").first()
    return found or make_appointment(cast, person=person)
