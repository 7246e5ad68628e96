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
