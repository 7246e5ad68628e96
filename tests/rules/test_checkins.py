"""Remote check-in dates (parcours.rules.checkins): pure."""

from __future__ import annotations

from datetime import date

from parcours.rules.checkins import due_dates, is_missed, rhythm_problem
from parcours.rules.vocabulary import CheckinRhythm


def test_every_n_days_from_the_start() -> None:
    dates = due_dates(
        CheckinRhythm.JOURS,
        every_days=10,
        weekday=None,
        start=date(2027, 3, 1),
        end=None,
        until=date(2027, 3, 31),
    )
    assert dates == [date(2027, 3, 1), date(2027, 3, 11), date(2027, 3, 21), date(2027, 3, 31)]


def test_weekly_on_a_weekday_stops_at_the_end() -> None:
    dates = due_dates(
        CheckinRhythm.HEBDO,
        every_days=None,
        weekday=0,  # Monday
        start=date(2027, 3, 3),  # a Wednesday
        end=date(2027, 3, 22),
        until=date(2027, 4, 30),
    )
    assert dates == [date(2027, 3, 8), date(2027, 3, 15), date(2027, 3, 22)]


def test_nothing_before_the_start_or_with_an_incomplete_rhythm() -> None:
    common = {"start": date(2027, 3, 10), "end": None, "until": date(2027, 3, 9)}
    assert due_dates(CheckinRhythm.JOURS, every_days=7, weekday=None, **common) == []
    later = {**common, "until": date(2027, 4, 1)}
    assert due_dates(CheckinRhythm.JOURS, every_days=None, weekday=None, **later) == []
    assert due_dates(CheckinRhythm.HEBDO, every_days=None, weekday=None, **later) == []


def test_rhythm_problems_in_french() -> None:
    assert (
        rhythm_problem(CheckinRhythm.JOURS, 0, None) == "Indiquez un nombre de jours entre 1 et 90."
    )
    assert rhythm_problem(CheckinRhythm.JOURS, 91, None) is not None
    assert rhythm_problem(CheckinRhythm.HEBDO, None, 7) == "Choisissez le jour de la semaine."
    assert rhythm_problem(CheckinRhythm.HEBDO, None, 4) is None
    assert rhythm_problem("autre", 3, 3) == "Choisissez un rythme."


def test_missed_only_after_the_due_day_and_unanswered() -> None:
    today = date(2027, 3, 16)
    assert is_missed(date(2027, 3, 15), answered=False, today=today)
    assert not is_missed(date(2027, 3, 16), answered=False, today=today)
    assert not is_missed(date(2027, 3, 15), answered=True, today=today)
