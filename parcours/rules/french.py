"""French calendar words, for SMS, letters and documents (no locale dependency)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def short_date(day: date) -> str:
    """ "05/03/2026". Built from the fields: strftime is several times slower, and the nightly
    recomputations write about a million of these."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def long_datetime(moment: datetime, tz_name: str) -> str:
    """ "mardi 1 décembre 2026 à 14 h 30" in the given zone (letters)."""
    local = moment.astimezone(ZoneInfo(tz_name))
    return (
        f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"à {local:%H} h {local:%M}"
    )


def plural_s(count: float) -> str:
    """The plural mark of a French noun after `count`: "s" from 2 on ("0 note", "1 note",
    "2 notes"), where English (and Django's `pluralize`) says "0 notes"."""
    return "s" if abs(count) >= 2 else ""
