"""Measure dates and probation periods, pure functions.

- Sursis probatoire: probation period of 12 months to 3 years, up to 5 years in récidive and 7 in
  repeated récidive (CP art. 132-42). The bounds come from the catalogue.
"""

from __future__ import annotations

import calendar
from datetime import date

from parcours.rules.choices import Choices


class MeasureStatus(Choices):
    A_VENIR = "a_venir", "À venir"
    EN_COURS = "en_cours", "En cours"
    SUSPENDUE = "suspendue", "Suspendue"
    TERMINEE = "terminee", "Terminée"
    REVOQUEE = "revoquee", "Révoquée"


# Statuses counted as "current" for caseloads and the person file.
CURRENT_STATUSES = (MeasureStatus.A_VENIR, MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE)

RECIDIVE_MAX_MONTHS = {"simple": 60, "reiteree": 84}


def probation_period_problem(
    months: int | None,
    *,
    has_period: bool,
    minimum: int | None,
    maximum: int | None,
    recidive: str | None = None,
) -> str | None:
    """CP art. 132-42: French message when the probation period is out of bounds, else None."""
    if not has_period:
        return None if months is None else "Ce type de mesure ne comporte pas de délai d'épreuve."
    if months is None:
        return "Indiquez le délai d'épreuve en mois."
    upper = RECIDIVE_MAX_MONTHS.get(recidive or "", maximum)
    if minimum is not None and months < minimum:
        return f"Le délai d'épreuve doit être d'au moins {minimum} mois (CP art. 132-42)."
    if upper is not None and months > upper:
        return f"Le délai d'épreuve ne peut dépasser {upper} mois (CP art. 132-42)."
    return None


def dates_problem(judgment: date | None, start: date | None, end: date | None) -> str | None:
    if judgment and start and start < judgment:
        return "La date de début ne peut pas précéder la date du jugement."
    if start and end and end < start:
        return "La date de fin ne peut pas précéder la date de début."
    return None


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]
    return date(year, month, min(day.day, last))
