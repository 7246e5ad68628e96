"""rules.retention: five years after the end of the last measure (former CPP R. 57-4-4, now CPénit
R. 113-49 ff. through CPP R. 57-4-1), counted as a delay (R-DATES-DELAYS)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.retention import (
    RULES,
    RULES_BY_KIND,
    Action,
    MeasureDates,
    end_of_retention,
    file_decision,
    latest_end_due,
)

TODAY = date(2027, 3, 16)
FIVE_YEARS_AGO = date(2022, 3, 16)  # end + 5 years = today


def ended(day: date) -> MeasureDates:
    return MeasureDates(open=False, ended_on=day)


def test_r57_4_4_file_closed_five_years_and_one_day_ago_is_due() -> None:
    decision = file_decision([ended(FIVE_YEARS_AGO - timedelta(days=1))], TODAY)
    assert decision.due
    assert decision.kept_until == TODAY - timedelta(days=1)
    assert "15/03/2022" in decision.reason


def test_r57_4_4_file_closed_exactly_five_years_ago_is_kept_its_last_day() -> None:
    decision = file_decision([ended(FIVE_YEARS_AGO)], TODAY)
    assert not decision.due
    assert decision.kept_until == TODAY


def test_r57_4_4_file_closed_five_years_minus_one_day_ago_is_kept() -> None:
    assert not file_decision([ended(FIVE_YEARS_AGO + timedelta(days=1))], TODAY).due


def test_r57_4_4_the_last_measure_counts_not_the_first() -> None:
    old = ended(date(2015, 1, 1))
    recent = ended(date(2024, 6, 30))
    decision = file_decision([old, recent], TODAY)
    assert not decision.due
    assert decision.kept_until == date(2029, 6, 30)


def test_r57_4_4_an_open_measure_keeps_the_whole_file() -> None:
    decision = file_decision([ended(date(2010, 1, 1)), MeasureDates(True, None)], TODAY)
    assert not decision.due
    assert "en cours" in decision.reason
    assert decision.kept_until is None


def test_r57_4_4_second_alinea_annulled_a_file_without_measure_is_left_for_review() -> None:
    # CE 11 April 2014 n° 355624 annulled "five years from recording": no period applies.
    decision = file_decision([], TODAY)
    assert not decision.due
    assert "examiner" in decision.reason


def test_r57_4_4_unknown_end_is_left_for_review() -> None:
    decision = file_decision([ended(date(2010, 1, 1)), MeasureDates(False, None)], TODAY)
    assert not decision.due
    assert "inconnue" in decision.reason


def test_r_dates_months_end_on_29_february_clamps_to_28() -> None:
    assert end_of_retention(date(2020, 2, 29)) == date(2025, 2, 28)
    assert file_decision([ended(date(2020, 2, 29))], date(2025, 3, 1)).due
    assert not file_decision([ended(date(2020, 2, 29))], date(2025, 2, 28)).due


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_latest_end_due_is_the_boundary_of_the_rule(today: date) -> None:
    boundary = latest_end_due(today)
    assert file_decision([ended(boundary)], today).due
    assert not file_decision([ended(boundary + timedelta(days=1))], today).due


def test_every_kind_cites_the_text_and_the_conventions_are_flagged() -> None:
    assert {rule.kind for rule in RULES} == set(RULES_BY_KIND)
    assert all("R. 57-4" in rule.article and rule.years == 5 for rule in RULES)
    assert RULES_BY_KIND["identite"].action == Action.ANONYMISE
    assert RULES_BY_KIND["notes"].action == Action.PURGE
    flagged = {rule.kind for rule in RULES if rule.convention}
    assert flagged == {"justificatifs", "notes", "messages"}
