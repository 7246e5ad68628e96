"""Remote check-in (contrôle à distance, issue 18): when a check-in is due, and when it is missed.

Pure: no Django. Not a legal rule: a follow-up method the CPIP chooses per person and measure (the
measure's obligations, CP 132-44, stay what they are). A missed check-in is shown like a missed
appointment and is never a breach by itself: only the CPIP records a manquement.
"""

from __future__ import annotations

from datetime import date, timedelta

from parcours.rules.vocabulary import CheckinReview, CheckinRhythm

__all__ = ["CheckinReview", "CheckinRhythm", "due_dates", "is_missed", "rhythm_problem"]

MAX_EVERY_DAYS = 90


def rhythm_problem(rhythm: str, every_days: int | None, weekday: int | None) -> str | None:
    """None when the rhythm is complete, else the French reason."""
    if rhythm == CheckinRhythm.JOURS:
        if every_days is None or not 1 <= every_days <= MAX_EVERY_DAYS:
            return f"Indiquez un nombre de jours entre 1 et {MAX_EVERY_DAYS}."
        return None
    if rhythm == CheckinRhythm.HEBDO:
        if weekday is None or not 0 <= weekday <= 6:
            return "Choisissez le jour de la semaine."
        return None
    return "Choisissez un rythme."


def due_dates(
    rhythm: str,
    *,
    every_days: int | None,
    weekday: int | None,
    start: date,
    end: date | None,
    until: date,
) -> list[date]:
    """The due dates from `start` to `until` (and not after `end`), in order."""
    last = min(until, end) if end is not None else until
    if rhythm_problem(rhythm, every_days, weekday) or last < start:
        return []
    if rhythm == CheckinRhythm.JOURS:
        step = timedelta(days=every_days or 1)
        first = start
    else:
        step = timedelta(days=7)
        first = start + timedelta(days=((weekday or 0) - start.weekday()) % 7)
    dates = []
    day = first
    while day <= last:
        dates.append(day)
        day += step
    return dates


def is_missed(due_date: date, answered: bool, today: date) -> bool:
    """Missed: the due date has passed (the person had the whole day) and nothing was sent."""
    return not answered and due_date < today
