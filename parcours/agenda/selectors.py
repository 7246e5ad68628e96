"""Reads of the agenda screens, each starting from the user's scope: the SPIP's appointments
(`access.visible_appointments`), places and agendas; people through `people.access.find_people`.

Lists that show names journal their consultation here, as the people lists do, so no screen
forgets it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind, Role, User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.prepared import prepared
from parcours.measures.models import Measure
from parcours.people.access import find_people
from parcours.people.models import Person
from parcours.rules.agenda import (
    AppointmentStatus,
    Attendance,
    attendance,
    days_to_first_appointment,
    median,
)

from .access import (
    SERVICE_AGENDA_ROLES,
    appointments_in,
    appointments_scope,
    visible_appointments,
)
from .models import (
    Agenda,
    Appointment,
    AppointmentReply,
    AppointmentType,
    CalendarFeed,
    Place,
    Slot,
)

# How far ahead the booking form proposes free slots, and how many.
FREE_SLOTS_DAYS = 60
FREE_SLOTS_SHOWN = 30
# A planned person not arrived this long after the start is shown late at the reception.
LATE_AFTER = timedelta(minutes=15)


def _day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    return start, start + timedelta(days=1)


def _journal_list(user: User, label: str, count: int) -> None:
    """Lists of appointments show names: the consultation is journaled, as for people lists."""
    record(
        AuditAction.CONSULTATION,
        actor=user,
        object_type="agenda",
        object_label=label[:200],
        spip_id=user.spip_id,
        details={"rendez-vous affichés": count},
    )


# Places, agendas, slots ------------------------------------------------------------------------


def places_for(user: User) -> QuerySet[Place]:
    return Place.objects.filter(spip_id=user.spip_id, is_active=True).select_related("spip")


def agendas_for(user: User) -> QuerySet[Agenda]:
    return (
        Agenda.objects.filter(place__spip_id=user.spip_id, is_active=True)
        .select_related("place__spip", "agent")
        .order_by("place__name", "label")
    )


def day_agendas(user: User) -> QuerySet[Agenda]:
    """The agendas the day's page opens: the SPIP's for the encadrement and the secretariat, the
    user's own for everyone else (a CPIP never opens a colleague's agenda, access matrix);
    reading what the page shows of them: label, agent, place and its SPIP's time zone."""
    agendas = agendas_for(user)
    if user.role not in SERVICE_AGENDA_ROLES:
        agendas = agendas.filter(agent=user)
    return (
        agendas.select_related(None)
        .select_related("place__spip")
        .only("label", "agent", "place__name", "place__spip__timezone")
    )


# The agendas of the day page's select: read on every opening of the agenda, changed a few times a
# year. Kept in Django's cache per SPIP (per user for the roles that open only their own): saving
# or deleting an agenda, a place, a user or an organisation starts a new generation (agenda.apps
# connects the signals); the TTL bounds what no signal reports (a queryset.update()).
DAY_AGENDAS_TTL = 60  # seconds
_DAY_AGENDAS_GENERATION = "agenda:day-agendas:generation"


def listed_day_agendas(user: User) -> list[Agenda]:
    """`day_agendas(user)`, read (cached, see above)."""
    scope = "service" if user.role in SERVICE_AGENDA_ROLES else f"own:{user.pk}"
    generation = cache.get(_DAY_AGENDAS_GENERATION, 0)
    key = f"agenda:day-agendas:{generation}:{user.spip_id}:{scope}"
    found: list[Agenda] | None = cache.get(key)
    if found is None:
        found = list(day_agendas(user))
        cache.set(key, found, DAY_AGENDAS_TTL)
    return found


def forget_day_agendas(**_signal: Any) -> None:
    """A new generation of cached agenda lists (receiver of the models' save and delete)."""
    cache.set(_DAY_AGENDAS_GENERATION, uuid4().hex, None)


def agenda_among(agendas: QuerySet[Agenda], value: Any) -> Agenda | None:
    """The agenda a form's raw value names, among `agendas` (None for anything else)."""
    return agendas.filter(pk=value).first() if str(value or "").isdigit() else None


def appointment_type(value: Any) -> AppointmentType | None:
    """The appointment type a form's raw value names (None for anything else)."""
    return AppointmentType.objects.filter(pk=value).first() if str(value or "").isdigit() else None


def default_agenda(user: User, person: Person) -> Agenda | None:
    """The referent's agenda (booking from the person file), else the user's own."""
    agendas = agendas_for(user)
    for agent_id in (person.referent_id, user.pk):
        found = agendas.filter(agent_id=agent_id).first()
        if found is not None:
            return found
    return agendas.filter(Q(agent__isnull=True)).first()


def default_type(person: Person) -> AppointmentType | None:
    """A first convocation for a person who never had an appointment, else a follow-up."""
    code = "suivi" if person.appointments.exists() else "premiere_convocation"
    return AppointmentType.objects.filter(code=code).first()


def slot_among(agendas: QuerySet[Agenda], raw: str) -> Slot | None:
    """`?creneau=<uuid>` from the agenda's "Réserver" link: a slot of the user's agendas."""
    try:
        slot_id = UUID(raw)
    except ValueError:
        return None
    return (
        Slot.objects.filter(public_id=slot_id, agenda__in=agendas)
        .select_related("agenda__place__spip", "appointment_type")
        .first()
    )


def _open_slots(agenda: Agenda) -> QuerySet[Slot]:
    """The agenda's slots with a place left, none of which overlaps another planned appointment
    of the agenda's agent (the people of the slot itself share its time)."""
    slots = Slot.objects.filter(agenda=agenda, booked__lt=F("capacity"))
    if agenda.agent_id is not None:
        busy = Appointment.objects.clashing_with_agent(
            agenda.agent_id, OuterRef("starts_at"), OuterRef("ends_at")
        ).exclude(slot_id=OuterRef("pk"))
        slots = slots.exclude(Exists(busy))
    return slots


def free_slots(
    agenda: Agenda, start: datetime, end: datetime, type_id: int | None = None
) -> QuerySet[Slot]:
    slots = _open_slots(agenda).filter(starts_at__gte=start, starts_at__lt=end)
    if type_id:
        slots = slots.filter(appointment_type_id=type_id)
    return slots.select_related("appointment_type").order_by("starts_at")


def free_slot_choices(
    agenda: Agenda | None, kind: AppointmentType | None, chosen: Slot | None = None
) -> dict[str, Any]:
    """The context of agenda/includes/free_slots.html: the next free slots of the agenda (of
    the type), the slot chosen from the agenda first."""
    if agenda is None:
        return {"free_slots": []}
    now = timezone.now()
    end = now + timedelta(days=FREE_SLOTS_DAYS)
    slots = list(free_slots(agenda, now, end, kind.pk if kind else None)[:FREE_SLOTS_SHOWN])
    if (
        chosen is not None
        and chosen.starts_at > now
        and _open_slots(chosen.agenda).filter(pk=chosen.pk).exists()
    ):
        slots = [chosen, *[slot for slot in slots if slot.pk != chosen.pk]]
    return {
        "free_slots": slots,
        "slot_tz": agenda.place.tz,
        "chosen_slot": chosen.public_id if chosen is not None else None,
    }


def same_day_appointments(
    person: Person, starts_at: datetime, tz: ZoneInfo, *, exclude: Iterable[int] = ()
) -> list[Appointment]:
    """The person's other planned appointments on the local day of `starts_at` (any agent):
    the booking page says so, without refusing."""
    start, end = _day_bounds(starts_at.astimezone(tz).date(), tz)
    return list(
        Appointment.objects.filter(person=person)
        .planned()
        .between(start, end)
        .exclude(pk__in=list(exclude))
        .select_related("appointment_type")
        .order_by("starts_at")
    )


def places_with_agendas(user: User) -> list[Place]:
    """The set-up page: the SPIP's places, their agendas and how many slot templates each has."""
    agendas = Agenda.objects.select_related("agent").annotate(template_count=Count("templates"))
    return list(
        Place.objects.filter(spip_id=user.spip_id)
        .select_related("organisation")
        .prefetch_related(Prefetch("agendas", queryset=agendas))
        .order_by("name")
    )


def organisations_for(user: User) -> QuerySet[Organisation]:
    """Where a new place may be: the SPIP itself or one of its antennas."""
    return Organisation.objects.filter(
        spip_id=user.spip_id, kind__in=[OrganisationKind.ANTENNE, OrganisationKind.SPIP]
    ).order_by("name")


# People ----------------------------------------------------------------------------------------


def people_for_slot(user: User, query: str) -> list[Person]:
    """Booking from the agenda: people found by name or APPI number (never browsed), the search
    journaled as on "Tout le service" of the caseload."""
    found = find_people(user, query, screen="réservation d'un créneau").people
    return list(found.select_related("referent").order_by("last_name", "first_names")[:20])


# The day and the reception ---------------------------------------------------------------------


class DayAppointment(NamedTuple):
    """What the day's table shows of an appointment (a values row: no model instance)."""

    pk: int
    public_id: UUID
    slot_id: int | None
    starts_at: datetime
    ends_at: datetime
    status: str
    arrived_at: datetime | None
    last_name: str
    first_names: str
    sex: str
    type_label: str
    last_reply: str | None = None  # the latest answer (space, SMS); shown while awaited

    @property
    def status_label(self) -> str:
        return str(AppointmentStatus(self.status).label)

    @property
    def awaited(self) -> bool:
        """Planned and the person not arrived: the table shows their answer."""
        return self.status == AppointmentStatus.PLANIFIE and self.arrived_at is None


class DaySlot(NamedTuple):
    """What the day's table shows of a slot (a values row)."""

    pk: int
    public_id: UUID
    starts_at: datetime
    capacity: int
    booked: int
    type_label: str

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


@dataclass
class DayRow:
    at: datetime
    slot: DaySlot | None
    appointments: list[DayAppointment] = field(default_factory=list)


# The columns the day's table shows (templates/agenda/day.html), read as values: the wide rows of
# appointments, people and slots are left unread and no model is built (each selected column and
# instance costs, docs/benchmarks.md "Request floor").
DAY_APPOINTMENT_FIELDS = (
    "pk",
    "public_id",
    "slot_id",
    "starts_at",
    "ends_at",
    "status",
    "arrived_at",
    "person__last_name",
    "person__first_names",
    "person__sex",
    "appointment_type__label",
)
DAY_SLOT_FIELDS = ("pk", "public_id", "starts_at", "capacity", "booked", "appointment_type__label")


# The person's latest answer to the convocation (personal space, SMS), as a column of an
# appointments query, on the (appointment, created_at) index. Written as SQL: the ORM's
# Subquery/OuterRef cost more to compile than the second query it saves (SQLite, demo data).
LATEST_REPLY = RawSQL(  # noqa: S611 (table names from the models, no input)
    f"SELECT r.answer FROM {AppointmentReply._meta.db_table} r"  # noqa: S608
    f" WHERE r.appointment_id = {Appointment._meta.db_table}.id"
    " ORDER BY r.created_at DESC, r.id DESC LIMIT 1",
    (),
)


@prepared
def _day_appointments(
    *, spip_id: int, agenda_id: int, start: datetime, end: datetime
) -> QuerySet[Appointment, tuple[Any, ...]]:
    return (
        appointments_in(spip_id)
        .filter(agenda_id=agenda_id)
        .between(start, end)
        .exclude(status=AppointmentStatus.REPORTE)
        .annotate(last_reply=LATEST_REPLY)
        .order_by("starts_at", "pk")
        .values_list(*DAY_APPOINTMENT_FIELDS, "last_reply")
    )


@prepared
def _day_slots(
    *, agenda_id: int, start: datetime, end: datetime
) -> QuerySet[Slot, tuple[Any, ...]]:
    return (
        Slot.objects.filter(agenda_id=agenda_id, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "pk")
        .values_list(*DAY_SLOT_FIELDS)
    )


def day_rows(user: User, agenda: Agenda, day: date) -> list[DayRow]:
    """One agenda's day: its slots with their appointments, then the appointments outside a
    slot, in time order (rescheduled ones left out). Journaled. Queries (prepared, core.prepared):
    the appointments with each one's latest answer, the slots; then the journal."""
    start, end = _day_bounds(day, agenda.place.tz)
    spip_id = appointments_scope(user)
    appointments = [
        DayAppointment(*values)
        for values in (
            _day_appointments(spip_id=spip_id, agenda_id=agenda.pk, start=start, end=end)
            if spip_id is not None
            else []
        )
    ]
    slots = _day_slots(agenda_id=agenda.pk, start=start, end=end)
    rows = [DayRow(at=slot.starts_at, slot=slot) for slot in map(DaySlot._make, slots)]
    by_slot = {row.slot.pk: row for row in rows if row.slot is not None}
    for appointment in appointments:
        row = by_slot.get(appointment.slot_id or -1)
        if row is not None:
            row.appointments.append(appointment)
        else:
            rows.append(DayRow(at=appointment.starts_at, slot=None, appointments=[appointment]))
    rows.sort(key=lambda r: r.at)
    _journal_list(user, f"Agenda {agenda} du {day:%d/%m/%Y}", len(appointments))
    return rows


@dataclass(frozen=True)
class ReceptionDay:
    appointments: list[Appointment]
    late: set[int]  # primary keys of the people not arrived 15 minutes after their start
    expected: int
    arrived: int


def reception_day(user: User, place: Place | None, day: date, *, screen: str) -> ReceptionDay:
    """The appointments of a place on a day, who is expected, arrived, late. Journaled under
    `screen` ("Accueil", "Impression de l'agenda")."""
    appointments: list[Appointment] = []
    if place is not None:
        start, end = _day_bounds(day, place.tz)
        appointments = list(
            visible_appointments(user)
            .filter(place=place)
            .between(start, end)
            .exclude(status=AppointmentStatus.REPORTE)
            .select_related("person", "appointment_type", "agent")
            .order_by("starts_at", "person__last_name")
        )
    now = timezone.now()
    late = {
        a.pk
        for a in appointments
        if a.status == AppointmentStatus.PLANIFIE
        and a.arrived_at is None
        and a.starts_at + LATE_AFTER < now
    }
    _journal_list(user, f"{screen} {place or ''} du {day:%d/%m/%Y}", len(appointments))
    return ReceptionDay(
        appointments=appointments,
        late=late,
        expected=sum(1 for a in appointments if a.status == AppointmentStatus.PLANIFIE),
        arrived=sum(1 for a in appointments if a.arrived_at is not None),
    )


# One appointment -------------------------------------------------------------------------------


def reschedule_history(appointment: Appointment, limit: int = 20) -> list[Appointment]:
    """The appointments this one replaces, most recent first (up to `limit`). One query: the
    person's rescheduled appointments, then the chain is followed in memory (walking
    `rescheduled_from` would cost one query per report)."""
    if not appointment.pk:
        return []
    by_successor = {
        old.rescheduled_to_id: old
        for old in Appointment.objects.filter(
            person_id=appointment.person_id, rescheduled_to__isnull=False
        ).only("public_id", "starts_at", "outcome_reason", "rescheduled_to_id")
    }
    chain: list[Appointment] = []
    previous = by_successor.get(appointment.pk)
    while previous is not None and len(chain) < limit:
        chain.append(previous)
        previous = by_successor.get(previous.pk)
    return chain


# Calendar feeds --------------------------------------------------------------------------------


def active_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def live_feed(token: str) -> CalendarFeed | None:
    """The feed of a secret token, unless revoked or its agent's account is closed."""
    return (
        CalendarFeed.objects.select_related("user__organisation")
        .filter(
            token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True, user__is_active=True
        )
        .first()
    )


def feed_appointments(agent: User) -> list[Appointment]:
    """An agent's own appointments, 30 days back and 180 ahead (the iCalendar feed)."""
    now = timezone.now()
    return list(
        Appointment.objects.filter(
            agent=agent,
            starts_at__gte=now - timedelta(days=30),
            starts_at__lt=now + timedelta(days=180),
        )
        .exclude(status=AppointmentStatus.REPORTE)
        .select_related("person", "appointment_type", "place")
        .order_by("starts_at")[:2000]
    )


# Indicators ------------------------------------------------------------------------------------


def _attendance_by(rows: list[dict[str, Any]], key: str) -> dict[Any, Attendance]:
    statuses: dict[Any, list[AppointmentStatus]] = defaultdict(list)
    for row in rows:
        statuses[row[key]].extend([AppointmentStatus(row["status"])] * row["n"])
    return {k: attendance(v) for k, v in statuses.items()}


def indicators(user: User, days: int) -> dict[str, Any]:
    """Past appointments of the last `days` days: one grouped query, rates computed by the rules.

    A CPIP sees their own figures; DPIP/DFSPIP/secretariat the whole SPIP by agent and antenna."""
    now = timezone.now()
    since = now - timedelta(days=days)
    qs = visible_appointments(user).filter(starts_at__gte=since, starts_at__lt=now)
    if user.role == Role.CPIP:
        qs = qs.filter(agent=user)
    grouped = list(
        qs.values(
            "agent_id",
            "agent__first_name",
            "agent__last_name",
            "place__organisation__name",
            "status",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = attendance(s for row in grouped for s in [AppointmentStatus(row["status"])] * row["n"])
    by_agent = _attendance_by(grouped, "agent_id")
    names = {
        row["agent_id"]: f"{row['agent__first_name']} {row['agent__last_name']}".strip() or "—"
        for row in grouped
    }
    by_antenna = _attendance_by(grouped, "place__organisation__name")
    return {
        "total": total,
        "agents": sorted(((names[k], v) for k, v in by_agent.items()), key=lambda item: item[0]),
        "antennas": sorted(by_antenna.items(), key=lambda item: str(item[0])),
        **_delays(user, since),
    }


def _delays(user: User, since: datetime) -> dict[str, Any]:
    """Judgment (or release, when later) → first honoured appointment, in days, for measures
    judged in the period: the median overall, per referent agent and per antenna."""
    measures = Measure.objects.filter(person__spip_id=user.spip_id, judgment_date__gte=since.date())
    if user.role == Role.CPIP:
        measures = measures.filter(person__referent=user)
    rows = measures.annotate(
        first_honoured=Min(
            "person__appointments__starts_at",
            filter=Q(person__appointments__status=AppointmentStatus.HONORE),
        )
    ).values(
        "judgment_date",
        "release_date",
        "first_honoured",
        "person__referent__first_name",
        "person__referent__last_name",
        "person__antenna__name",
    )[:20000]
    overall: list[int] = []
    by_agent: dict[str, list[int]] = defaultdict(list)
    by_antenna: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        origin = max(d for d in (row["judgment_date"], row["release_date"]) if d is not None)
        first = row["first_honoured"]
        value = days_to_first_appointment(
            origin, timezone.localtime(first).date() if first else None
        )
        if value is None:
            continue
        overall.append(value)
        first_name = row["person__referent__first_name"] or ""
        agent = f"{first_name} {row['person__referent__last_name'] or ''}"
        by_agent[agent.strip() or "—"].append(value)
        by_antenna[row["person__antenna__name"] or "—"].append(value)
    return {
        "delay_median": median(overall),
        "delay_count": len(overall),
        "delays_by_agent": sorted((k, median(v), len(v)) for k, v in by_agent.items()),
        "delays_by_antenna": sorted((k, median(v), len(v)) for k, v in by_antenna.items()),
    }
