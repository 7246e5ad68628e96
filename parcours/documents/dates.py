"""French dates for documents ("27 novembre 2026"), in the service's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from parcours.rules.french import long_date


def local_day(when: date | datetime, tz: str) -> date:
    """The calendar day of `when` in `tz` (an aware datetime is converted; a date is kept)."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValueError("Une date et heure sans fuseau ne peut pas être datée.")
        return when.astimezone(ZoneInfo(tz)).date()
    return when


def french_date(when: date | datetime, tz: str = "Europe/Paris") -> str:
    return long_date(local_day(when, tz))


def date_line(place: str, when: date | datetime, tz: str = "Europe/Paris") -> str:
    """ "Lille, le 27 novembre 2026" (without a place: "Le 27 novembre 2026")."""
    if place:
        return f"{place}, le {french_date(when, tz)}"
    return f"Le {french_date(when, tz)}"
