"""Date conventions of the legal rules, pure functions (docs/legal-sources.md, rows R-DATES-*).

The codes leave some computations open; each choice below is a named constant, written down in
docs/legal-sources.md, so that changing it is a one-line change and a visible one.

- MONTH_END_CLAMP (R-DATES-MONTHS): a delay in months keeps the day of the month; when the
  target month is shorter, the last day of that month is used (31 January + 1 month = 28 or
  29 February; 31 August + 18 months = 28 February or 29 in a leap year).
- Delays to act ("dans un délai de 8 jours à compter de la libération") are counted from the day
  after the starting event: the due date is the starting date plus the delay (release on the
  2nd + 8 days = the 10th), the last day on which the act is in time (R-DATES-DELAYS).
- Durations of a measure ("délai de probation de 12 mois" from its start) cover the days from the
  start to the day before the same date N months later: PERIOD_LAST_DAY_OFFSET = -1
  (R-DATES-PERIODS), as the proof periods of compliance.py already are.
- Suspensions are half-open: `start` is the first day suspended, `end` the first day back
  (exclusive). N = (end - start).days suspended days push a running period by N days.
- Working days (R-DATES-WORKING-DAY): Saturday, Sunday and French public holidays (`holidays`
  library, with the subdivision of Alsace-Moselle or of an overseas territory) are not working
  days. Each deadline shows the last working day on or before its due date ("dernier jour
  ouvré"): a safe target. CPP art. 801 extends a procedural delay falling on such a day to the
  next working day; Parcours does not rely on that extension (the due date is not moved).
- Local date (R-DATES-LOCAL): "today" is the SPIP's local date, from an aware instant and the
  service's IANA zone.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from parcours.rules.agenda import ZONE_SUBDIVISIONS

MONTH_END_CLAMP = True
PERIOD_LAST_DAY_OFFSET = -1
WEEKEND = frozenset({5, 6})  # Saturday, Sunday (CPP art. 801 names both)
DEFAULT_TIME_ZONE = "Europe/Paris"


def add_months(day: date, months: int) -> date:
    """Calendar months; a day missing in the target month becomes its last day (MONTH_END_CLAMP).
    `months` may be negative."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    if day.day <= 28:  # every month has it (most calls: a nightly run makes millions)
        return date(year, month, day.day)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_delay(start: date, *, months: int = 0, days: int = 0) -> date:
    """Due date of a delay to act counted from `start`: months first, then days."""
    return add_months(start, months) + timedelta(days=days)


def period_last_day(start: date, months: int) -> date:
    """Last day of a duration of `months` running from `start` (included)."""
    return add_months(start, months) + timedelta(days=PERIOD_LAST_DAY_OFFSET)


def delay_words(months: int = 0, days: int = 0) -> str:
    """'1 mois', '8 jours', '18 mois et 10 jours', '1 jour'."""
    parts = []
    if months:
        parts.append(f"{months} mois")
    if days or not months:
        parts.append(f"{days} jour" if days == 1 else f"{days} jours")
    return " et ".join(parts)


# --- Working days ---------------------------------------------------------------------------


@cache
def _calendar(subdivision: str | None) -> holidays_lib.HolidayBase:
    return holidays_lib.country_holidays("FR", subdiv=subdivision, language="fr")


def subdivision_for_zone(time_zone: str) -> str | None:
    """The `holidays` subdivision of an overseas SPIP from its zone; None for metropolitan
    France (Alsace-Moselle is not a zone: give its subdivision, "57" or "6AE", explicitly)."""
    return ZONE_SUBDIVISIONS.get(time_zone)


def holiday_name(day: date, subdivision: str | None = None) -> str | None:
    name = _calendar(subdivision).get(day)
    return str(name) if name else None


def is_working_day(day: date, subdivision: str | None = None) -> bool:
    return day.weekday() not in WEEKEND and holiday_name(day, subdivision) is None


@lru_cache(maxsize=65536)
def last_working_day(due: date, subdivision: str | None = None) -> date:
    """`due` when it is a working day, else the last working day before it (cached: a
    nightly run asks for the same dates again and again)."""
    day = due
    while not is_working_day(day, subdivision):
        day -= timedelta(days=1)
    return day


def non_working_reason(day: date, subdivision: str | None = None) -> str | None:
    """Why `day` is not a working day (French), or None."""
    if day.weekday() == 5:
        return "un samedi"
    if day.weekday() == 6:
        return "un dimanche"
    name = holiday_name(day, subdivision)
    return f"un jour férié ({name})" if name else None


# --- Local date -----------------------------------------------------------------------------


def local_date(instant: datetime, time_zone: str = DEFAULT_TIME_ZONE) -> date:
    """The date of an aware instant in the SPIP's zone (IANA name): a nightly run at 23:30 UTC
    is already the next day in Paris and still the same day in Guadeloupe."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("L'instant doit être daté avec son fuseau (UTC).")
    return instant.astimezone(ZoneInfo(time_zone)).date()


# --- Half-open periods ----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """Days from `start` (included) to `end` (excluded, the first day back); end None: ongoing."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise ValueError(
                "La fin d'une période (premier jour de reprise) doit être postérieure à son début."
            )

    @property
    def days(self) -> int | None:
        return None if self.end is None else (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """The union of the spans, as disjoint spans in date order (touching spans are joined)."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged:
            last = merged[-1]
            if last.end is None or span.start <= last.end:
                if last.end is not None and (span.end is None or span.end > last.end):
                    merged[-1] = Span(last.start, span.end)
                continue
        merged.append(span)
    return merged


@dataclass(frozen=True)
class Extension:
    """A running deadline or period pushed back by suspensions."""

    end: date | None  # None: a suspension is still running, the end is not known yet
    suspended_days: int
    counted: tuple[Span, ...]  # the parts of the suspensions that pushed it (clipped to start)


def extend_by_suspensions(start: date, end: date, suspensions: Sequence[Span]) -> Extension:
    """`end` (the last day of a running period, or a due date) pushed back by the days of the
    suspensions that begin on or before it: the period runs from `start`, stops on the first
    suspended day and resumes on the first day back. Overlapping suspensions count once;
    days before `start` do not count."""
    current = end
    total = 0
    counted: list[Span] = []
    for span in merge_spans(suspensions):
        if span.end is not None and span.end <= start:
            continue
        first = max(span.start, start)
        if first > current:
            break
        if span.end is None:
            counted.append(Span(first, None))
            return Extension(None, total, tuple(counted))
        days = (span.end - first).days
        total += days
        current += timedelta(days=days)
        counted.append(Span(first, span.end))
    return Extension(current, total, tuple(counted))
