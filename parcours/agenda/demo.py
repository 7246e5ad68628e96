"""Agenda demo data: a place per milieu-ouvert antenna, an agenda per CPIP with weekly slot
templates, and appointments in every status (past with and without outcome, today, future); then
the messages of the next appointments (notifications' outbox), a few shown as delivered and two
per SPIP as failed, for the screens."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.demo import MAIN_CPIP, demo_spips
from parcours.accounts.models import Organisation, Role, SiteType, User
from parcours.notifications.models import Message
from parcours.notifications.services import schedule_appointment_messages, sms_possible
from parcours.people.models import Person
from parcours.people.phones import normalise_french_phone
from parcours.rules.agenda import AppointmentStatus, is_closed_day
from parcours.rules.notifications import MessageState

from .models import Agenda, Appointment, AppointmentType, Place, SlotTemplate
from .services import generate_agenda_slots

PLACES = {
    # antenna key: (place name, address, postal code, city, phone)
    "lille": ("SPIP — antenne de Lille", "12 rue de la Justice", "59000", "Lille", "0320000000"),
    "douai": ("SPIP — antenne de Douai", "3 place du Palais", "59500", "Douai", "0327000000"),
    "st-denis": (
        "SPIP — antenne de Saint-Denis",
        "8 rue de Paris",
        "97400",
        "Saint-Denis",
        "0262000000",
    ),
    "st-pierre": (
        "SPIP — antenne de Saint-Pierre",
        "5 rue des Bons Enfants",
        "97410",
        "Saint-Pierre",
        "0262100000",
    ),
}
S = AppointmentStatus


def _local(day: Any, hour: int, minute: int, tz: Any) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


@transaction.atomic
def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Places, agendas, slots and appointments of the demo SPIP; idempotent."""
    if Place.objects.filter(spip__in=demo_spips(orgs)).exists():
        return {}
    rng = random.Random(741)
    types = {t.code: t for t in AppointmentType.objects.all()}
    today = timezone.localdate()
    places: dict[str, Place] = {}
    for key, (name, address, postal_code, city, phone) in PLACES.items():
        antenna = orgs[key]
        if antenna.site_type != SiteType.MILIEU_OUVERT:
            continue
        places[key] = Place.objects.create(
            organisation=antenna,
            spip=orgs["spip59"] if antenna.spip_id == orgs["spip59"].pk else orgs["spip974"],
            name=name,
            address=address,
            postal_code=postal_code,
            city=city,
            phone=normalise_french_phone(phone),
            access_url="https://www.justice.fr/",
        )
        Agenda.objects.create(place=places[key], label=f"{name} — agenda commun")
    agendas: dict[int, Agenda] = {}
    for user in users.values():
        if user.role != Role.CPIP or user.organisation is None:
            continue
        found = [k for k in places if orgs[k].pk == user.organisation_id]
        if not found:
            continue
        key = found[0]
        agenda = Agenda.objects.create(
            place=places[key], agent=user, label=f"{user.get_full_name()} — {places[key].name}"
        )
        agendas[user.pk] = agenda
        for weekday in (0, 1, 3):  # Monday, Tuesday, Thursday mornings: 45-minute slots
            for slot in range(4):
                SlotTemplate.objects.create(
                    agenda=agenda,
                    weekday=weekday,
                    start_time=time(9 + slot, 0),
                    duration=45,
                    capacity=1,
                    appointment_type=types["suivi"],
                    valid_from=today - timedelta(days=7),
                )
        SlotTemplate.objects.create(
            agenda=agenda,
            weekday=2,
            start_time=time(14, 0),
            duration=60,
            capacity=1,
            appointment_type=types["premiere_convocation"],
            valid_from=today - timedelta(days=7),
        )
    slots = sum(generate_agenda_slots(agenda) for agenda in agendas.values())
    appointments = _appointments(rng, agendas, types, today)
    appointments += _today_for_main(users.get(MAIN_CPIP), agendas, types, today)
    return {"lieux": len(places), "créneaux": slots, "rendez-vous": appointments}


def _open_day_start(
    rng: random.Random, day: Any, hour: int, tz: Any, subdivision: str | None
) -> datetime:
    for _ in range(7):
        if is_closed_day(day, subdivision, weekend_allowed=False) is None:
            break
        day += timedelta(days=1)
    return _local(day, hour, rng.choice((0, 15, 30)), tz)


def _appointments(
    rng: random.Random, agendas: dict[int, Agenda], types: dict[str, AppointmentType], today: Any
) -> int:
    """Free-time appointments (slots stay bookable for the walk-through): per person a few past
    ones with outcomes, sometimes one without, and one ahead; the main CPIP has some today."""
    now = timezone.now()
    rows: list[Appointment] = []
    people = Person.objects.filter(referent_id__in=list(agendas)).select_related("spip")
    for person in people.iterator(chunk_size=500):
        assert person.referent_id is not None  # filtered above
        agenda = agendas[person.referent_id]
        tz = agenda.place.tz
        subdivision = agenda.place.holiday_subdivision
        used: set[datetime] = set()

        plan: list[tuple[int, int, str, AppointmentStatus]] = []
        for months_back in range(rng.randint(1, 4), 0, -1):
            status = rng.choices(
                [S.HONORE, S.ABSENT, S.EXCUSE, S.ANNULE, S.PLANIFIE], weights=[70, 10, 8, 4, 3]
            )[0]
            plan.append(
                (-30 * months_back + rng.randint(-5, 5), rng.randint(14, 17), "suivi", status)
            )
        plan.append((rng.randint(2, 40), rng.randint(14, 17), "suivi", S.PLANIFIE))
        for offset, hour, code, status in plan:
            start = _open_day_start(rng, today + timedelta(days=offset), hour, tz, subdivision)
            if start in used:
                continue
            used.add(start)
            past = start < now
            if not past:
                status = S.PLANIFIE
            rows.append(
                Appointment(
                    person=person,
                    spip_id=person.spip_id,
                    appointment_type=types[code],
                    place=agenda.place,
                    agenda=agenda,
                    agent_id=agenda.agent_id,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=45),
                    status=status,
                    outcome_reason="Certificat médical" if status == S.EXCUSE else "",
                    outcome_at=start + timedelta(hours=1) if status != S.PLANIFIE else None,
                    outcome_by_id=agenda.agent_id if status != S.PLANIFIE else None,
                    arrived_at=start if status == S.HONORE else None,
                    created_by_id=agenda.agent_id,
                )
            )
    Appointment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _today_for_main(
    main: User | None,
    agendas: dict[int, Agenda],
    types: dict[str, AppointmentType],
    today: Any,
) -> int:
    """Reception demo: the main CPIP sees people expected today at Lille (whatever the weekday)."""
    if main is None or main.pk not in agendas:
        return 0
    agenda = agendas[main.pk]
    tz = agenda.place.tz
    people = list(Person.objects.filter(referent=main).order_by("last_name")[:6])
    rows = []
    for i, person in enumerate(people):
        start = _local(today, 8 + i, 10, tz)
        rows.append(
            Appointment(
                person=person,
                spip_id=person.spip_id,
                appointment_type=types["premiere_convocation" if i == 0 else "suivi"],
                place=agenda.place,
                agenda=agenda,
                agent=main,
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                status=S.PLANIFIE,
                arrived_at=start if i == 1 else None,
                created_by=main,
            )
        )
    Appointment.objects.bulk_create(rows)
    return len(rows)


MESSAGE_APPOINTMENTS = 40  # the next appointments whose messages fill the demo outbox
FAILURES = (
    "Message refusé par le prestataire (400) : numéro inconnu de l'opérateur",
    "Prestataire injoignable : connexion refusée (6 tentatives, abandon).",
)


def seed_messages(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """The messages of the demo SPIP's next appointments (none when there is no appointment
    ahead); idempotent."""
    spips = demo_spips(orgs)
    if Message.objects.filter(spip__in=spips).exists():
        return {}
    now = timezone.now()
    appointments = (
        Appointment.objects.filter(spip__in=spips, status=S.PLANIFIE, starts_at__gt=now)
        .select_related("person", "place__spip", "appointment_type", "agent", "created_by")
        .order_by("starts_at")[:MESSAGE_APPOINTMENTS]
    )
    created: list[Message] = []
    for appointment in appointments:
        person = appointment.person
        created += schedule_appointment_messages(
            appointment,
            acting_user=appointment.created_by or appointment.agent,
            sms=sms_possible(person) is None,
            email=bool(person.email),
        )
    # Each SPIP's outbox shows delivered and failed messages, whatever the day the demo is seeded
    # on (the first appointments ahead may all belong to one SPIP).
    for spip in spips:
        convocations = [m for m in created if m.role == "convocation" and m.spip_id == spip.pk]
        for message in convocations[:3]:
            message.state = MessageState.DELIVRE
            message.attempts = 1
            message.sent_at = message.delivered_at = now
            message.next_attempt_at = None
            message.provider_message_id = f"demo-{message.pk}"
            message.save()
        for message, error in zip(convocations[3:5], FAILURES, strict=False):
            message.state = MessageState.ECHOUE
            message.attempts = 1 if "400" in error else 6
            message.next_attempt_at = None
            message.last_error = error
            message.save()
    return {"messages": len(created)}
