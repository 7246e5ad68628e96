"""Agenda rules: appointment states, slot generation, booking limits, attendance indicators.

Pure functions, no Django. Times: aware datetimes; local dates and times are in the SPIP's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from parcours.rules.vocabulary import Action, AppointmentStatus

S = AppointmentStatus
# (status, action) → new status. Anything else is refused.
TRANSITIONS: dict[tuple[AppointmentStatus, Action], AppointmentStatus] = {
    (S.PLANIFIE, Action.HONORER): S.HONORE,
    (S.PLANIFIE, Action.ABSENT): S.ABSENT,
    (S.PLANIFIE, Action.EXCUSER): S.EXCUSE,
    (S.PLANIFIE, Action.ANNULER): S.ANNULE,
    (S.PLANIFIE, Action.REPORTER): S.REPORTE,
    (S.ABSENT, Action.EXCUSER): S.EXCUSE,
    (S.ABSENT, Action.CORRIGER): S.HONORE,
    (S.HONORE, Action.CORRIGER): S.ABSENT,
    (S.EXCUSE, Action.CORRIGER): S.ABSENT,
}
# Outcomes (honoré, absent, excusé) describe what happened: they can only be recorded once the
# appointment has started. Cancelling or rescheduling is only possible before.
NEEDS_STARTED = {Action.HONORER, Action.ABSENT, Action.EXCUSER, Action.CORRIGER}
NEEDS_FUTURE = {Action.ANNULER, Action.REPORTER}
NEEDS_REASON = {Action.EXCUSER, Action.ANNULER, Action.REPORTER, Action.CORRIGER}


class TransitionRefused(ValueError):
    pass


def next_status(
    status: AppointmentStatus, action: Action, *, starts_at: datetime, now: datetime
) -> AppointmentStatus:
    """The status after `action`, or TransitionRefused with a French message."""
    target = TRANSITIONS.get((AppointmentStatus(status), Action(action)))
    if target is None:
        raise TransitionRefused(
            f"Impossible de passer un rendez-vous « {AppointmentStatus(status).label.lower()} » "
            f"à l'action « {Action(action).value} »."
        )
    if action in NEEDS_STARTED and now < starts_at:
        raise TransitionRefused(
            "Le rendez-vous n'a pas encore commencé : le résultat se saisit à partir de l'heure "
            "du rendez-vous."
        )
    if action in NEEDS_FUTURE and now >= starts_at:
        raise TransitionRefused(
            "Le rendez-vous a déjà commencé : saisissez son résultat (honoré, absent ou excusé)."
        )
    return target


# Booking limits (domain.md §4): not in the past, at most one year ahead.
MAX_BOOKING_DAYS = 366


def booking_problem(starts_at: datetime, now: datetime) -> str | None:
    if starts_at <= now:
        return "La date du rendez-vous est passée."
    if starts_at - now > timedelta(days=MAX_BOOKING_DAYS):
        return "Un rendez-vous ne peut pas être fixé plus d'un an à l'avance."
    return None


# French public holidays by SPIP time zone: overseas departments have their own (abolition of
# slavery days…), Alsace-Moselle has two more (Good Friday, St Stephen). `holidays` subdivisions.
ZONE_SUBDIVISIONS = {
    "Indian/Reunion": "974",
    "America/Guadeloupe": "971",
    "America/Martinique": "972",
    "America/Cayenne": "973",
    "Indian/Mayotte": "976",
    "Pacific/Noumea": "NC",
    "Pacific/Tahiti": "PF",
    "America/Miquelon": "PM",
    "Pacific/Wallis": "WF",
}


@cache
def _holiday_calendar(subdivision: str | None) -> holidays_lib.HolidayBase:
    return holidays_lib.country_holidays("FR", subdiv=subdivision, language="fr")


def subdivision_for(postal_code: str, tz_name: str) -> str | None:
    """The `holidays` subdivision of a place (by its postal code) or of a SPIP (by its
    department code, Organisation.code: "57", "974"…): Moselle (57) and Alsace (67, 68) keep their
    local law holidays; overseas departments by code (974…) or, failing that, time zone."""
    code = (postal_code or "").strip()
    if code.startswith("57"):
        return "57"
    if code.startswith(("67", "68")):
        return "6AE"
    if code[:3] in {"971", "972", "973", "974", "976"}:
        return code[:3]
    return ZONE_SUBDIVISIONS.get(tz_name)


def holiday_name(day: date, subdivision: str | None) -> str | None:
    calendar = _holiday_calendar(subdivision)
    name = calendar.get(day)
    return str(name) if name else None


def is_closed_day(day: date, subdivision: str | None, *, weekend_allowed: bool) -> str | None:
    """Why no ordinary appointment can be given that day (French), or None."""
    if weekend_allowed:
        return None
    if day.weekday() >= 5:
        return "Le service est fermé le week-end."
    name = holiday_name(day, subdivision)
    if name:
        return f"Jour férié : {name}."
    return None


@dataclass(frozen=True)
class TemplateSpec:
    weekday: int
    start: time
    duration: int
    valid_from: date
    valid_until: date | None


def generate_slots(
    spec: TemplateSpec,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    subdivision: str | None,
    *,
    weekend_allowed: bool,
) -> Iterator[tuple[datetime, datetime]]:
    """Concrete (start, end) in UTC for each matching local day, skipping closed days.

    Local wall-clock time is kept across daylight-saving changes (09:00 stays 09:00)."""
    start = max(first_day, spec.valid_from)
    end = min(last_day, spec.valid_until) if spec.valid_until else last_day
    day = start + timedelta(days=(spec.weekday - start.weekday()) % 7)
    while day <= end:
        if is_closed_day(day, subdivision, weekend_allowed=weekend_allowed) is None:
            local = datetime.combine(day, spec.start, tzinfo=tz)
            begins = local.astimezone(ZoneInfo("UTC"))
            yield begins, (local + timedelta(minutes=spec.duration)).astimezone(ZoneInfo("UTC"))
        day += timedelta(days=7)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def templates_overlap(a: TemplateSpec, b: TemplateSpec) -> bool:
    """Two templates of one agenda collide when same weekday, overlapping hours and periods."""
    if a.weekday != b.weekday:
        return False
    a_end = a.valid_until or date.max
    b_end = b.valid_until or date.max
    if a.valid_from > b_end or b.valid_from > a_end:
        return False
    a0, b0 = _minutes(a.start), _minutes(b.start)
    return a0 < b0 + b.duration and b0 < a0 + a.duration


def recurrence_dates(first: datetime, every_weeks: int, count: int, tz: ZoneInfo) -> list[datetime]:
    """Starts of a recurring appointment every N weeks, same local wall-clock time."""
    local = first.astimezone(tz)
    return [
        datetime.combine(local.date() + timedelta(weeks=every_weeks * i), local.time(), tzinfo=tz)
        for i in range(count)
    ]


# Indicators -------------------------------------------------------------------------------

OUTCOME_STATUSES = {S.HONORE, S.ABSENT, S.EXCUSE}


@dataclass(frozen=True)
class Attendance:
    past: int  # past appointments that were due to take place (not cancelled or rescheduled)
    honoured: int
    absent: int
    excused: int
    without_outcome: int

    @property
    def attendance_rate(self) -> float | None:
        known = self.honoured + self.absent + self.excused
        return self.honoured / known if known else None

    @property
    def no_show_rate(self) -> float | None:
        known = self.honoured + self.absent + self.excused
        return self.absent / known if known else None

    @property
    def missing_outcome_rate(self) -> float | None:
        return self.without_outcome / self.past if self.past else None


def attendance(statuses: Iterable[AppointmentStatus]) -> Attendance:
    """Counts over past appointments; cancelled and rescheduled ones are not due."""
    counts = dict.fromkeys(AppointmentStatus, 0)
    for status in statuses:
        counts[AppointmentStatus(status)] += 1
    past = counts[S.HONORE] + counts[S.ABSENT] + counts[S.EXCUSE] + counts[S.PLANIFIE]
    return Attendance(
        past=past,
        honoured=counts[S.HONORE],
        absent=counts[S.ABSENT],
        excused=counts[S.EXCUSE],
        without_outcome=counts[S.PLANIFIE],
    )


def days_to_first_appointment(origin: date, first_honoured: date | None) -> int | None:
    """Délai de prise en charge: judgment (or release) → first honoured appointment, in days."""
    if first_honoured is None or first_honoured < origin:
        return None
    return (first_honoured - origin).days


def median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


# Opening hours of the services (practice, not law: row P-AGENDA-OPENING-HOURS): an appointment
# or a slot starts and ends within them, in the SPIP's local time.
OPENS_AT = time(7, 0)
CLOSES_AT = time(20, 0)


def outside_opening_hours(start: time, duration: int) -> bool:
    """A local start time and a duration in minutes that do not fit in [OPENS_AT, CLOSES_AT]
    (ending at the closing time exactly is within)."""
    begins = _minutes(start)
    return begins < _minutes(OPENS_AT) or begins + duration > _minutes(CLOSES_AT)


def opening_hours_problem(what: str, start: time, duration: int) -> str | None:
    """The French refusal of a time outside the opening hours, naming `what` is refused."""
    if not outside_opening_hours(start, duration):
        return None
    ends = (datetime.combine(date.min, start) + timedelta(minutes=duration)).time()
    return (
        f"{what} ({start:%H:%M}–{ends:%H:%M}) est en dehors des heures d'ouverture du service "
        f"(de {OPENS_AT:%H:%M} à {CLOSES_AT:%H:%M})."
    )
