"""Measure dates and probation periods, pure functions.

- Sursis probatoire: probation period of 12 months to 3 years, up to 5 years in récidive and 7 in
  repeated récidive (CP art. 132-42). Ajournement avec probation: one year at most (CP art.
  132-63), no récidive extension. The bounds come from the catalogue.
- Calendar months: `add_months` lives in rules.dates (month-end clamp, R-DATES-MONTHS) and is
  re-exported here for the apps.
- An obligation stays within its measure (`obligation_dates_problem`, issue 13).
"""

from __future__ import annotations

from datetime import date

from parcours.rules.dates import add_months
from parcours.rules.vocabulary import MeasureStatus

__all__ = [
    "CURRENT_STATUSES",
    "RECIDIVE_MAX_MONTHS",
    "MeasureStatus",
    "add_months",
    "dates_problem",
    "obligation_dates_problem",
    "probation_period_problem",
]


# Statuses counted as "current" for caseloads and the person file.
CURRENT_STATUSES = (MeasureStatus.A_VENIR, MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE)

RECIDIVE_MAX_MONTHS = {"simple": 60, "reiteree": 84}


# Measure types whose probation bounds come from another article than CP 132-42, and to which
# the récidive extension of 132-42 does not apply (R-CP-132-63-65).
PROBATION_ARTICLES = {"ajournement_probation": "CP art. 132-63"}


def probation_period_problem(
    months: int | None,
    *,
    has_period: bool,
    minimum: int | None,
    maximum: int | None,
    recidive: str | None = None,
    measure_type: str = "",
) -> str | None:
    """CP art. 132-42 (sursis probatoire) or 132-63 (ajournement avec probation, one year at
    most): French message when the probation period is out of bounds, else None."""
    if not has_period:
        return None if months is None else "Ce type de mesure ne comporte pas de délai d'épreuve."
    if months is None:
        return "Indiquez le délai d'épreuve en mois."
    article = PROBATION_ARTICLES.get(measure_type, "CP art. 132-42")
    upper = maximum
    if measure_type not in PROBATION_ARTICLES:
        upper = RECIDIVE_MAX_MONTHS.get(recidive or "", maximum)
    if minimum is not None and months < minimum:
        return f"Le délai d'épreuve doit être d'au moins {minimum} mois ({article})."
    if upper is not None and months > upper:
        return f"Le délai d'épreuve ne peut dépasser {upper} mois ({article})."
    return None


def dates_problem(judgment: date | None, start: date | None, end: date | None) -> str | None:
    if judgment and start and start < judgment:
        return "La date de début ne peut pas précéder la date du jugement."
    if start and end and end < start:
        return "La date de fin ne peut pas précéder la date de début."
    return None


def obligation_dates_problem(
    start: date,
    end: date | None,
    *,
    measure_start: date,
    measure_end: date | None,
) -> str | None:
    """French message when an obligation's dates fall outside its measure (issue 13, finding
    8), else None. `measure_start`: the measure's start (its judgment when the start is not
    known); `measure_end`: its planned end, suspensions included (timeline.planned_end)."""
    if start < measure_start:
        return (
            "L'obligation ne peut pas commencer avant le début de la mesure "
            f"({measure_start:%d/%m/%Y})."
        )
    if measure_end is not None and start > measure_end:
        return (
            "L'obligation ne peut pas commencer après la fin prévue de la mesure "
            f"({measure_end:%d/%m/%Y})."
        )
    if measure_end is not None and end is not None and end > measure_end:
        return (
            "L'obligation ne peut pas se terminer après la fin prévue de la mesure "
            f"({measure_end:%d/%m/%Y})."
        )
    return None
