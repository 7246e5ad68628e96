"""Conditions read from the dates: libération conditionnelle (CPP 729, 729-3, 720-2, CP 132-23),
2/3 examinations (CPP 720 I, 730-3), LSC de plein droit (CPP 720 II-III) and the thresholds
(CP 132-25, CPP 723-1, 723-7, 723-15). Legal-sources rows R-SENT-LC, R-SENT-LC-PARENTAL,
R-SENT-EXAMINATION, R-SENT-LSC, R-SENT-THRESHOLDS."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.rules.sentences import (
    LSC_CRIME,
    LSC_DISCIPLINE,
    LSC_HOUSING,
    Duration,
    compute,
)

from .sentence_helpers import case, reduction, sentence

ECROU = date(2024, 1, 1)


class TestCpp729TimeCondition:
    def test_cpp_729_lc_when_time_served_equals_time_left(self):
        # 2 years: 731 days; half rounded up: 366 days after 01/01/2024.
        dates = compute(case(sentence(years=2), ecrou=ECROU))
        assert dates.lc_from == date(2025, 1, 1)

    def test_cpp_729_custody_deducted_counts_as_time_served(self):
        # End 01/01/2026 - 100 days = 23/09/2025; the half is counted from 23/09/2023.
        dates = compute(case(sentence(years=2), ecrou=ECROU, pre_trial_days=100))
        assert dates.end_exclusive == date(2025, 9, 23)
        assert dates.lc_from == date(2024, 9, 23)

    def test_cpp_729_lc_never_before_the_ecrou(self):
        dates = compute(case(sentence(years=1), ecrou=ECROU, pre_trial_days=250))
        assert dates.lc_from == ECROU
        assert any("déjà remplie à l'écrou" in step.text for step in dates.explanation)

    def test_cpp_729_proof_period_at_most_fifteen_years(self):
        dates = compute(case(sentence(years=40, nature="crime"), ecrou=date(2000, 1, 1)))
        assert dates.lc_from == date(2015, 1, 1)

    def test_cpp_729_recidive_proof_period_at_most_twenty_years(self):
        dates = compute(
            case(sentence(years=40, nature="crime", recidive=True), ecrou=date(2000, 1, 1))
        )
        # The half (16/08/2016, after the 81-month credit) comes before the 20-year cap.
        assert dates.lc_from == date(2016, 8, 16)

    def test_cpp_729_over_70_no_time_condition_from_the_day_after_the_birthday(self):
        dates = compute(
            case(sentence(years=10), ecrou=date(2019, 1, 1), birth_date=date(1950, 5, 10))
        )
        assert dates.lc_from == date(2020, 5, 11)
        assert any("soixante-dix" in step.text for step in dates.explanation)

    def test_cpp_729_over_70_at_the_ecrou(self):
        dates = compute(case(sentence(years=10), ecrou=ECROU, birth_date=date(1940, 1, 1)))
        assert dates.lc_from == ECROU

    def test_cpp_729_exactly_70_is_not_over_70(self):
        dates = compute(case(sentence(years=10), ecrou=ECROU, birth_date=date(1954, 1, 1)))
        assert dates.lc_from == date(2024, 1, 2)


class TestCp13223Surete:
    def test_cp_132_23_no_lc_before_the_end_of_the_surete(self):
        dates = compute(
            case(
                sentence(years=12, nature="crime", surete=Duration(8)),
                ecrou=date(2020, 1, 1),
            )
        )
        assert dates.surete_until == date(2028, 1, 1)
        assert dates.lc_from == date(2028, 1, 1)
        assert any("fin de la période de sûreté" in step.text for step in dates.explanation)
        assert dates.examination is not None
        assert dates.examination.basis == "730-3"
        assert dates.examination.date == date(2028, 1, 1)

    def test_cpp_716_4_custody_deducted_from_the_surete(self):
        dates = compute(
            case(
                sentence(years=12, nature="crime", surete=Duration(8)),
                ecrou=date(2020, 1, 1),
                pre_trial_days=365,
            )
        )
        assert dates.surete_until == date(2027, 1, 1)
        assert dates.lc_from == date(2027, 1, 1)

    def test_cp_132_23_reductions_do_not_shorten_the_surete(self):
        # Former regime: 25 months of credit move the end, not the sûreté.
        dates = compute(
            case(
                sentence(years=12, nature="crime", surete=Duration(8)),
                ecrou=date(2020, 1, 1),
            )
        )
        assert dates.reduction_days > 0
        assert dates.surete_until == date(2028, 1, 1)

    def test_cpp_720_2_surete_to_the_end_no_lc_no_examination(self):
        # 15 years with the maximum reductions (90 months): end 01/07/2031; sûreté to 2034.
        dates = compute(
            case(
                sentence(years=15, nature="crime", surete=Duration(10)),
                ecrou=ECROU,
                reductions=(reduction(date(2025, 1, 1), months=90),),
            )
        )
        assert dates.end_exclusive == date(2031, 7, 1)
        assert dates.surete_until == date(2034, 1, 1)
        assert dates.lc_from is None
        assert dates.examination is None

    def test_cpp_720_3_successive_suretes_run_one_after_the_other(self):
        dates = compute(
            case(
                sentence(years=10, nature="crime", surete=Duration(5)),
                sentence(years=6, surete=Duration(2)),
                ecrou=ECROU,
            )
        )
        assert dates.surete_until == date(2031, 1, 1)


class TestCpp7293Parental:
    def test_cpp_729_3_sentence_of_at_most_four_years_from_the_ecrou(self):
        dates = compute(case(sentence(years=4), ecrou=ECROU, parent_enfant_moins_10=True))
        assert dates.lc_parental_from == ECROU

    def test_cpp_729_3_longer_sentence_when_four_years_remain(self):
        dates = compute(case(sentence(years=6), ecrou=ECROU, parent_enfant_moins_10=True))
        assert dates.end_exclusive == date(2030, 1, 1)
        assert dates.lc_parental_from == date(2026, 1, 1)

    def test_cpp_729_3_not_a_parent(self):
        assert compute(case(sentence(years=4), ecrou=ECROU)).lc_parental_from is None

    @pytest.mark.parametrize(
        "offence",
        [sentence(years=3, nature="crime"), sentence(years=3, flags=("victime_mineur_15",))],
    )
    def test_cpp_729_3_excludes_a_crime_or_an_offence_against_a_minor(self, offence):
        dates = compute(case(offence, ecrou=ECROU, parent_enfant_moins_10=True))
        assert dates.lc_parental_from is None
        assert any(step.article == "CPP art. 729-3" for step in dates.explanation)


class TestExaminations:
    def test_cpp_720_i_exactly_five_years_examined_at_two_thirds(self):
        dates = compute(case(sentence(years=5), ecrou=ECROU))
        assert dates.examination is not None
        assert dates.examination.basis == "720"
        # 1827 days; two thirds rounded up: 1218 days.
        assert dates.examination.date == date(2027, 5, 3)

    def test_cpp_730_3_five_years_and_one_day(self):
        dates = compute(case(sentence(years=5, days=1), ecrou=ECROU))
        assert dates.examination is not None
        assert dates.examination.basis == "730-3"

    def test_cpp_720_i_total_of_successive_sentences(self):
        dates = compute(case(sentence(years=3), sentence(years=2, days=1), ecrou=ECROU))
        assert dates.examination is not None
        assert dates.examination.basis == "730-3"

    def test_cpp_720_i_examination_after_lc_and_before_the_end(self):
        dates = compute(case(sentence(months=2), ecrou=ECROU))
        assert dates.examination is not None
        assert dates.lc_from is not None
        assert dates.lc_from <= dates.examination.date <= dates.end_inclusive


class TestCpp720LscDePleinDroit:
    def test_cpp_720_ii_two_years_exactly_three_months_before_the_end(self):
        dates = compute(case(sentence(years=2), ecrou=ECROU))
        lsc = dates.lsc_de_plein_droit
        assert lsc.applies is True
        assert lsc.date == date(2025, 10, 1)
        assert lsc.excluded_by == ()

    def test_cpp_720_ii_two_years_and_one_day_is_out_of_scope(self):
        lsc = compute(case(sentence(years=2, days=1), ecrou=ECROU)).lsc_de_plein_droit
        assert lsc.applies is False
        assert lsc.date is None
        assert "720 II" in lsc.excluded_by[0]

    def test_cpp_720_ii_short_sentence_applies_from_the_ecrou(self):
        lsc = compute(case(sentence(months=2), ecrou=ECROU)).lsc_de_plein_droit
        assert lsc.date == ECROU

    def test_cpp_720_ii_housing_condition(self):
        lsc = compute(case(sentence(years=1), ecrou=ECROU, hebergement=False)).lsc_de_plein_droit
        assert lsc.applies is False
        assert lsc.date == date(2024, 10, 1)
        assert lsc.excluded_by == (LSC_HOUSING,)

    def test_cpp_720_iii_excludes_crime(self):
        lsc = compute(case(sentence(years=2, nature="crime"), ecrou=ECROU)).lsc_de_plein_droit
        assert lsc.applies is False
        assert lsc.excluded_by == (LSC_CRIME,)

    @pytest.mark.parametrize(
        ("flag", "words"),
        [
            ("terrorisme", "421-1 à 421-6"),
            ("victime_mineur_15", "mineur de moins de quinze ans"),
            ("victime_pdap", "dépositaire de l'autorité publique"),
            ("violences_conjugales", "132-80"),
        ],
    )
    def test_cpp_720_iii_1_excludes_each_flag(self, flag, words):
        lsc = compute(case(sentence(years=1, flags=(flag,)), ecrou=ECROU)).lsc_de_plein_droit
        assert lsc.applies is False
        assert len(lsc.excluded_by) == 1
        assert words in lsc.excluded_by[0]
        assert "720 III 1°" in lsc.excluded_by[0]

    def test_cpp_720_iii_excludes_terrorism(self):
        lsc = compute(
            case(sentence(years=1, flags=("terrorisme",)), ecrou=ECROU)
        ).lsc_de_plein_droit
        assert not lsc.applies

    def test_cpp_720_iii_2_excludes_a_violence_sanction(self):
        lsc = compute(
            case(sentence(years=1), ecrou=ECROU, sanction_disciplinaire_violence=True)
        ).lsc_de_plein_droit
        assert lsc.excluded_by == (LSC_DISCIPLINE,)

    def test_cpp_720_iii_ssj_encouru_alone_does_not_exclude(self):
        lsc = compute(
            case(sentence(years=1, flags=("ssj_encouru",)), ecrou=ECROU)
        ).lsc_de_plein_droit
        assert lsc.applies is True

    def test_cpp_720_iii_every_reason_is_named(self):
        lsc = compute(
            case(
                sentence(years=1, nature="crime", flags=("terrorisme", "violences_conjugales")),
                ecrou=ECROU,
                sanction_disciplinaire_violence=True,
                hebergement=False,
            )
        ).lsc_de_plein_droit
        assert len(lsc.excluded_by) == 5


class TestThresholds:
    def test_thresholds_at_exactly_six_months_one_year_two_years(self):
        # 18 months from 01/01/2024: end 01/07/2025.
        thresholds = compute(case(sentence(years=1, months=6), ecrou=ECROU)).thresholds
        assert thresholds.six_months == date(2025, 1, 1)
        assert thresholds.one_year == date(2024, 7, 1)
        assert thresholds.two_years == ECROU

    def test_thresholds_a_sentence_of_exactly_one_year(self):
        thresholds = compute(case(sentence(years=1), ecrou=ECROU)).thresholds
        assert thresholds.one_year == ECROU
        assert thresholds.six_months == date(2024, 7, 1)

    def test_thresholds_move_with_the_reductions(self):
        thresholds = compute(
            case(sentence(years=3), ecrou=date(2022, 1, 1))  # credit 7 months
        ).thresholds
        assert thresholds.one_year == date(2023, 6, 1)
        assert thresholds.two_years == date(2022, 6, 1)
