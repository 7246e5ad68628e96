"""Pure rules, named after the rule and case they encode."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.caseload import load_level, person_weight
from parcours.rules.identity import age_on, appi_problem, birth_date_problem, fold, normalise_appi
from parcours.rules.measures import add_months, dates_problem, probation_period_problem

TODAY = date(2026, 11, 27)


class TestMinimumAge16:
    def test_minimum_age_16_birthday_today_is_accepted(self):
        assert birth_date_problem(date(2010, 11, 27), TODAY) is None

    def test_minimum_age_16_one_day_short_is_refused(self):
        assert "16 ans" in (birth_date_problem(date(2010, 11, 28), TODAY) or "")

    def test_minimum_age_16_future_birth_date_is_refused(self):
        assert "futur" in (birth_date_problem(date(2027, 1, 1), TODAY) or "")

    def test_birth_date_before_1900_is_refused(self):
        assert birth_date_problem(date(1899, 12, 31), TODAY) is not None

    def test_age_on_counts_whole_years_including_29_february(self):
        assert age_on(date(2008, 2, 29), date(2024, 2, 28)) == 15
        assert age_on(date(2008, 2, 29), date(2024, 2, 29)) == 16

    @given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
    def test_age_is_never_negative_for_past_dates(self, birth):
        if birth <= TODAY:
            assert age_on(birth, TODAY) >= 0


class TestAppiNumber:
    def test_appi_twelve_digits_with_plausible_year_is_valid(self):
        assert appi_problem("202400012345", TODAY) is None

    def test_appi_spaces_and_slashes_are_ignored(self):
        assert normalise_appi("2024/0001 2345") == "202400012345"
        assert appi_problem("2024/0001 2345", TODAY) is None

    @pytest.mark.parametrize("value", ["123", "abcdefghijkl", "20240001234", "2024000123456"])
    def test_appi_wrong_length_or_letters_is_refused(self, value):
        assert "12 chiffres" in (appi_problem(value, TODAY) or "")

    @pytest.mark.parametrize("value", ["198900012345", "202700012345", "999900012345"])
    def test_appi_year_outside_1990_to_this_year_is_refused(self, value):
        assert "année" in (appi_problem(value, TODAY) or "")


class TestCP132_42ProbationPeriod:
    bounds = {"has_period": True, "minimum": 12, "maximum": 36}

    def test_132_42_sursis_probatoire_12_to_36_months_is_accepted(self):
        assert probation_period_problem(12, **self.bounds) is None
        assert probation_period_problem(36, **self.bounds) is None

    def test_132_42_below_12_months_is_refused(self):
        assert "132-42" in (probation_period_problem(11, **self.bounds) or "")

    def test_132_42_over_3_years_without_recidive_is_refused(self):
        assert probation_period_problem(37, **self.bounds) is not None

    def test_132_42_recidive_allows_5_years(self):
        assert probation_period_problem(60, **self.bounds, recidive="simple") is None
        assert probation_period_problem(61, **self.bounds, recidive="simple") is not None

    def test_132_42_repeated_recidive_allows_7_years(self):
        assert probation_period_problem(84, **self.bounds, recidive="reiteree") is None

    def test_132_42_missing_period_is_refused(self):
        assert probation_period_problem(None, **self.bounds) is not None

    def test_measure_without_probation_period_refuses_one(self):
        assert (
            probation_period_problem(12, has_period=False, minimum=None, maximum=None) is not None
        )
        assert probation_period_problem(None, has_period=False, minimum=None, maximum=None) is None


class TestMeasureDates:
    def test_start_before_judgment_is_refused(self):
        assert dates_problem(date(2025, 3, 1), date(2025, 2, 1), None) is not None

    def test_end_before_start_is_refused(self):
        assert "fin" in (dates_problem(None, date(2025, 3, 1), date(2025, 2, 1)) or "")

    def test_consistent_dates_are_accepted(self):
        assert dates_problem(date(2025, 3, 1), date(2025, 3, 1), date(2026, 3, 1)) is None

    def test_add_months_clamps_to_month_end(self):
        assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
        assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
        assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)

    @given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)), st.integers(-600, 600))
    def test_add_months_keeps_the_day_or_the_last_day_of_the_month(self, day, months):
        result = add_months(day, months)
        assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
        last = (result.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        assert result.day == min(day.day, last.day)

    @given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 600))
    def test_add_months_is_monotonic(self, day, months):
        assert add_months(day, months) >= day


class TestCaseloadWeight:
    def test_heaviest_current_measure_decides(self):
        assert person_weight([Decimal("0.75"), Decimal("1.5")]) == Decimal("1.5")

    def test_person_without_current_measure_counts_one(self):
        assert person_weight([]) == Decimal("1.00")

    def test_load_levels_against_target_60(self):
        assert load_level(Decimal("50"), 60) == "sous"
        assert load_level(Decimal("60"), 60) == "cible"
        assert load_level(Decimal("66"), 60) == "cible"
        assert load_level(Decimal("67"), 60) == "au-dessus"

    def test_load_level_refuses_zero_target(self):
        with pytest.raises(ValueError):
            load_level(Decimal("1"), 0)


def test_fold_removes_accents_and_case():
    assert fold("  Éloïse  d'Hérouville-Saint ") == "ELOISE D'HEROUVILLE-SAINT"
