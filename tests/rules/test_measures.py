"""Measure dates (parcours.rules.measures)."""

from __future__ import annotations

from datetime import date

from parcours.rules.measures import add_months, obligation_dates_problem

START = date(2026, 1, 26)
END = date(2027, 3, 6)


def test_add_months_is_re_exported_for_the_apps():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_an_obligation_within_its_measure_is_fine():
    assert obligation_dates_problem(START, END, measure_start=START, measure_end=END) is None
    assert obligation_dates_problem(START, None, measure_start=START, measure_end=None) is None


def test_an_obligation_cannot_start_before_its_measure():
    problem = obligation_dates_problem(date(2026, 1, 1), None, measure_start=START, measure_end=END)
    assert problem is not None and "26/01/2026" in problem


def test_an_obligation_cannot_end_after_the_planned_end():
    problem = obligation_dates_problem(
        START, date(2027, 4, 1), measure_start=START, measure_end=END
    )
    assert problem is not None and "06/03/2027" in problem


def test_an_obligation_cannot_start_after_the_planned_end():
    problem = obligation_dates_problem(date(2027, 4, 1), None, measure_start=START, measure_end=END)
    assert problem is not None and "commencer après" in problem


# --- R-CP-132-63-65: ajournement avec probation, one year at most ---------------------------


def test_cp_132_63_ajournement_probation_is_one_year_at_most_even_in_recidive():
    from parcours.rules.measures import probation_period_problem

    def problem(months, recidive=None):
        return probation_period_problem(
            months,
            has_period=True,
            minimum=None,
            maximum=12,
            recidive=recidive,
            measure_type="ajournement_probation",
        )

    assert problem(12) is None and problem(6) is None
    assert problem(13) == "Le délai d'épreuve ne peut dépasser 12 mois (CP art. 132-63)."
    assert problem(24, recidive="simple") is not None  # 132-42's récidive bounds do not apply


def test_cp_132_63_catalogue_bounds_the_ajournement_probation(db):
    from parcours.catalog.models import MeasureType

    row = MeasureType.objects.current().get(code="ajournement_probation")
    assert row.has_probation_period and row.max_probation_months == 12
    assert row.min_probation_months is None
    assert "CP art. 132-64" in row.articles
