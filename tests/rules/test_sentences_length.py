"""The sentence's length, start, deduction and end (CPP 716-1 to 716-4; legal-sources R-SENT-LENGTH,
R-SENT-PRETRIAL, R-SENT-END)."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.rules.sentences import InputError, compute

from .sentence_helpers import case, sentence


class TestCpp7161Length:
    def test_cpp_716_1_one_month_is_thirty_days(self):
        # February 2025 has 28 days: 30 days from 1 February is 3 March, not 1 March.
        dates = compute(case(sentence(months=1), ecrou=date(2025, 2, 1)))
        assert dates.end_exclusive == date(2025, 3, 3)
        assert dates.end_inclusive == date(2025, 3, 2)

    def test_cpp_716_1_two_months_count_de_quantieme_en_quantieme(self):
        dates = compute(case(sentence(months=2), ecrou=date(2025, 2, 1)))
        assert dates.end_exclusive == date(2025, 4, 1)
        assert dates.end_inclusive == date(2025, 3, 31)

    def test_cpp_716_1_one_day_is_one_day(self):
        dates = compute(case(sentence(days=1), ecrou=date(2025, 2, 1)))
        assert dates.end_inclusive == date(2025, 2, 1)
        assert dates.end_exclusive == date(2025, 2, 2)

    def test_cpp_716_1_month_end_31st_plus_one_month_clamps_to_february_end(self):
        dates = compute(case(sentence(months=1, days=1), ecrou=date(2025, 1, 31)))
        # 31 January + 1 month = 28 February (MONTH_END_CLAMP), + 1 day = 1 March.
        assert dates.end_exclusive == date(2025, 3, 1)
        assert dates.end_inclusive == date(2025, 2, 28)

    def test_cpp_716_1_leap_year_29_february_plus_one_year(self):
        dates = compute(case(sentence(years=1), ecrou=date(2024, 2, 29)))
        assert dates.end_exclusive == date(2025, 2, 28)

    def test_cpp_716_1_leap_year_29_february_plus_four_years(self):
        dates = compute(case(sentence(years=4), ecrou=date(2024, 2, 29)))
        assert dates.end_exclusive == date(2028, 2, 29)

    def test_cpp_716_1_a_year_across_29_february_has_366_days(self):
        dates = compute(case(sentence(years=1), ecrou=date(2023, 3, 1)))
        assert dates.total_length_days == 366
        assert dates.end_exclusive == date(2024, 3, 1)

    def test_cpp_716_1_successive_sentences_start_where_the_previous_ends(self):
        # 30 days from 31 January 2024 = 1 March; then 2 months = 1 May.
        dates = compute(case(sentence(months=1), sentence(months=2), ecrou=date(2024, 1, 31)))
        assert dates.end_exclusive == date(2024, 5, 1)
        texts = [step.text for step in dates.explanation if step.article == "CPP art. 716-1"]
        assert "Peine 2 : 2 mois, exécutée du 01/03/2024 au 30/04/2024 inclus." in texts


class TestCpp7164Deduction:
    def test_cpp_716_4_pre_trial_custody_moves_end_earlier(self):
        without = compute(case(sentence(years=1), ecrou=date(2024, 3, 15)))
        with_custody = compute(case(sentence(years=1), ecrou=date(2024, 3, 15), pre_trial_days=40))
        assert without.end_exclusive == date(2025, 3, 15)
        assert with_custody.end_exclusive == date(2025, 2, 3)
        assert any(step.article == "CPP art. 716-4" for step in with_custody.explanation)

    def test_cpp_716_3_never_released_before_the_ecrou(self):
        # Écroué on Sunday 14 July 2024 (also a holiday), the sentence covered by the custody.
        dates = compute(case(sentence(days=5), ecrou=date(2024, 7, 14), pre_trial_days=10))
        assert dates.end_inclusive == date(2024, 7, 14)
        assert dates.release_date == date(2024, 7, 14)

    def test_cpp_716_4_custody_covering_the_sentence_ends_on_the_ecrou_date(self):
        dates = compute(case(sentence(months=2), ecrou=date(2025, 5, 6), pre_trial_days=90))
        assert dates.end_inclusive == date(2025, 5, 6)
        assert dates.release_date == date(2025, 5, 6)


class TestCpp7163Release:
    def test_cpp_716_3_holiday_then_sunday_release_on_the_saturday(self):
        # Last day 14 July 2025 (holiday, a Monday); 13 July is a Sunday; Saturday is ouvrable.
        dates = compute(case(sentence(years=1), ecrou=date(2024, 7, 15)))
        assert dates.end_inclusive == date(2025, 7, 14)
        assert dates.release_date == date(2025, 7, 12)
        assert any(step.article == "CPP art. 716-3" for step in dates.explanation)

    def test_cpp_716_3_sunday_release_on_the_saturday(self):
        dates = compute(case(sentence(years=1), ecrou=date(2024, 6, 16)))
        assert dates.end_inclusive == date(2025, 6, 15)  # a Sunday
        assert dates.release_date == date(2025, 6, 14)

    def test_cpp_716_3_a_plain_saturday_is_a_jour_ouvrable(self):
        dates = compute(case(sentence(years=1), ecrou=date(2024, 6, 15)))
        assert dates.end_inclusive == date(2025, 6, 14)  # a Saturday
        assert dates.release_date == date(2025, 6, 14)

    def test_cpp_716_3_saturday_holiday_moves_to_friday(self):
        dates = compute(case(sentence(years=1), ecrou=date(2024, 11, 2)))
        assert dates.end_inclusive == date(2025, 11, 1)  # Toussaint, a Saturday
        assert dates.release_date == date(2025, 10, 31)

    @pytest.mark.parametrize(("subdivision", "release"), [(None, 26), ("57", 24)])
    def test_cpp_716_3_alsace_moselle_26_december(self, subdivision, release):
        dates = compute(case(sentence(years=1), ecrou=date(2024, 12, 27), subdivision=subdivision))
        assert dates.end_inclusive == date(2025, 12, 26)
        assert dates.release_date == date(2025, 12, release)


class TestMalformedCases:
    def test_no_sentence_is_refused_naming_the_field(self):
        with pytest.raises(InputError) as error:
            compute(case())
        assert error.value.field == "sentences"

    def test_zero_length_is_refused(self):
        with pytest.raises(InputError) as error:
            compute(case(sentence()))
        assert error.value.field == "sentences[0]"

    def test_ecrou_before_birth_is_refused(self):
        with pytest.raises(InputError) as error:
            compute(case(sentence(years=1), ecrou=date(1970, 1, 1)))
        assert error.value.field == "ecrou_date"

    def test_a_thousand_years_is_refused_not_overflowing(self):
        with pytest.raises(InputError) as error:
            compute(case(*[sentence(years=99)] * 11))
        assert error.value.field == "sentences"
