"""The bounds of what is entered in a detention record or in the simulator
(rules.sentences: sentence_problems, custody_problem, pre_trial_problem,
reduction_ceiling_problem), each named after its article and case, and the French names of the
engine's fields (rules.sentences_json.field_words)."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.rules.sentences import (
    Duration,
    InputError,
    check_case,
    compute,
    custody_problem,
    pre_trial_problem,
    reduction_ceiling_problem,
    sentence_problems,
)
from parcours.rules.sentences_json import error_words, field_words

from .sentence_helpers import BIRTH, case, reduction, sentence

ECROU = date(2024, 3, 15)


def fields(problems: list[tuple[str, str]]) -> list[str]:
    return [name for name, _ in problems]


class TestSentenceLine:
    def test_unit_bound_a_delit_of_999_years_is_refused_like_the_simulator(self):
        problems = sentence_problems(Duration(999), "delit", None, ECROU)
        assert fields(problems) == ["years"]
        assert "au plus 99 ans" in problems[0][1] and "999" in problems[0][1]

    def test_unit_bound_99_years_is_accepted(self):
        assert sentence_problems(Duration(99), "delit", None, ECROU) == []

    def test_unit_bound_a_surete_of_500_years_is_refused(self):
        problems = sentence_problems(Duration(20), "crime", Duration(500), ECROU)
        assert fields(problems) == ["surete_years"]

    def test_cp_131_12_131_13_a_contravention_with_years_of_prison_is_refused(self):
        problems = sentence_problems(Duration(2), "contravention", None, ECROU)
        assert fields(problems) == ["nature"]
        assert "CP art. 131-12 et 131-13" in problems[0][1]
        assert "jamais punie d'emprisonnement" in problems[0][1]

    def test_cp_131_12_131_13_a_contravention_with_days_of_prison_is_refused(self):
        assert fields(sentence_problems(Duration(0, 0, 5), "contravention", None, ECROU)) == [
            "nature"
        ]

    def test_cp_131_12_a_delit_or_a_crime_with_prison_is_accepted(self):
        assert sentence_problems(Duration(2), "delit", None, ECROU) == []
        assert sentence_problems(Duration(12), "crime", Duration(6), ECROU) == []

    def test_cp_132_23_a_surete_longer_than_the_sentence_is_refused(self):
        problems = sentence_problems(Duration(2), "delit", Duration(3), ECROU)
        assert fields(problems) == ["surete_years"]
        message = problems[0][1]
        assert "CP art. 132-23" in message and "3 ans" in message and "2 ans" in message

    def test_cp_132_23_a_surete_one_day_longer_than_the_sentence_is_refused(self):
        assert fields(sentence_problems(Duration(1), "delit", Duration(1, 0, 1), ECROU)) == [
            "surete_years"
        ]

    def test_cp_132_23_a_surete_as_long_as_the_sentence_is_not_refused_here(self):
        assert sentence_problems(Duration(10), "crime", Duration(0, 120), ECROU) == []


class TestCustody:
    def test_cpp_716_4_custody_starting_before_birth_is_refused(self):
        message = custody_problem(date(1950, 1, 1), BIRTH)
        assert message is not None
        assert "01/01/1950" in message and "12/04/1985" in message

    def test_cpp_716_4_custody_after_birth_is_accepted(self):
        assert custody_problem(date(2023, 5, 1), BIRTH) is None

    def test_cpp_716_4_pre_trial_days_longer_than_the_life_before_the_ecrou_are_refused(self):
        problem = pre_trial_problem(case(sentence(2), pre_trial_days=27_698))
        assert problem is not None and problem.field == "pre_trial_days"
        assert "27698 jours" in problem.message

    def test_cpp_716_4_pre_trial_days_within_the_life_are_accepted(self):
        assert pre_trial_problem(case(sentence(2), pre_trial_days=300)) is None


class TestReductionCeiling:
    def test_cpp_721_36_months_on_a_two_year_sentence_is_refused_with_the_12_month_ceiling(
        self,
    ):
        problem = reduction_ceiling_problem(
            case(sentence(2), reductions=(reduction(date(2025, 1, 1), months=36),))
        )
        assert problem is not None
        assert problem.field == "reductions[0].months"
        assert "plafond de 12 mois" in problem.message and "36 mois" in problem.message
        assert "CPP art. 721" in problem.message

    def test_cpp_721_the_ceiling_itself_is_accepted_and_is_what_the_engine_applies(self):
        within = case(sentence(2), reductions=(reduction(date(2025, 1, 1), months=12),))
        over = case(sentence(2), reductions=(reduction(date(2025, 1, 1), months=13),))
        assert reduction_ceiling_problem(within) is None
        assert reduction_ceiling_problem(over) is not None
        # The engine caps 13 months to the 12 months accepted here.
        assert compute(over).release_date == compute(within).release_date

    def test_cpp_721_the_total_of_the_decisions_counts_and_names_the_last_one(self):
        problem = reduction_ceiling_problem(
            case(
                sentence(1),
                reductions=(
                    reduction(date(2024, 9, 1), months=4),
                    reduction(date(2024, 12, 1), months=3),
                ),
            )
        )
        assert problem is not None and problem.field == "reductions[1].months"
        assert "7 mois" in problem.message and "plafond de 6 mois" in problem.message

    def test_cpp_721_a_withdrawn_reduction_does_not_count(self):
        granted = case(
            sentence(2),
            reductions=(reduction(date(2025, 1, 1), months=24, withdrawn=True),),
        )
        assert reduction_ceiling_problem(granted) is None

    def test_cpp_721_1_2_public_authority_victim_delit_ceiling_4_months_a_year(self):
        problem = reduction_ceiling_problem(
            case(
                sentence(1, flags=("victime_pdap",)),
                reductions=(reduction(date(2024, 9, 1), months=5),),
            )
        )
        assert problem is not None
        assert "plafond de 4 mois" in problem.message and "721-1-2" in problem.message

    def test_former_cpp_721_1_rsp_ceiling_3_months_a_year_before_2023(self):
        old = date(2021, 6, 1)
        problem = reduction_ceiling_problem(
            case(sentence(2), ecrou=old, reductions=(reduction(date(2022, 1, 1), months=7),))
        )
        assert problem is not None and "plafond de 6 mois" in problem.message
        assert "721-1" in problem.message
        within = case(sentence(2), ecrou=old, reductions=(reduction(date(2022, 1, 1), months=6),))
        assert reduction_ceiling_problem(within) is None

    def test_former_cpp_721_a_withdrawal_above_the_credit_is_refused(self):
        # Credit of a 1-year sentence: 3 months (former 721 al. 1).
        problem = reduction_ceiling_problem(
            case(
                sentence(1),
                ecrou=date(2021, 6, 1),
                reductions=(reduction(date(2022, 1, 1), months=4, kind="retrait_crp"),),
            )
        )
        assert problem is not None and "retraits de crédit" in problem.message
        assert "plafond de 3 mois" in problem.message

    def test_no_sentence_yet_no_ceiling(self):
        assert (
            reduction_ceiling_problem(case(reductions=(reduction(date(2025, 1, 1), days=5),)))
            is None
        )


class TestMessages:
    def test_an_ecrou_date_out_of_bounds_names_the_bounds(self):
        with pytest.raises(InputError) as error:
            check_case(case(sentence(1), ecrou=date(9999, 12, 31)))
        assert error.value.field == "ecrou_date"
        assert "31/12/9999" in error.value.message
        assert "entre le 01/01/1900 et le 31/12/9599" in error.value.message

    def test_field_words_name_the_fields_in_french(self):
        assert field_words("reductions") == "Réductions de peine"
        assert field_words("sentences") == "Peines"
        assert field_words("sentences[0].years") == "Peine 1, années"
        assert field_words("sentences[2].surete.days") == "Peine 3, période de sûreté, jours"
        assert field_words("reductions[1].granted_on") == (
            "Décision de réduction de peine 2, date de la décision"
        )
        assert field_words("ecrou_date") == "Date d'écrou"

    def test_error_words_of_a_total_over_200_years(self):
        many = case(*[sentence(99)] * 3)
        with pytest.raises(InputError) as error:
            check_case(many)
        assert error_words(error.value) == "Peines : durée totale supérieure à 200 ans."
