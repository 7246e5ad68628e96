"""Both reduction regimes (legal-sources R-SENT-REGIME, R-SENT-RP-2023, R-SENT-CRP): CPP 721,
721-1-1, 721-1-2 since 2023; the former CRP and RSP for an écrou before 2023 (loi 2021-1729
art. 59 VI)."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.rules.sentences import compute

from .sentence_helpers import case, reduction, sentence

GRANTED = date(2024, 6, 1)


class TestRegime:
    @pytest.mark.parametrize(
        ("ecrou", "regime"),
        [(date(2022, 12, 31), "avant-2023"), (date(2023, 1, 1), "2023")],
    )
    def test_loi_2021_1729_art_59_vi_regime_follows_the_ecrou_date(self, ecrou, regime):
        dates = compute(case(sentence(years=1), ecrou=ecrou))
        assert dates.regime == regime
        assert any("59 VI" in step.article for step in dates.explanation)


class TestCpp721Since2023:
    def test_cpp_721_no_reduction_granted_no_reduction(self):
        dates = compute(case(sentence(years=1), ecrou=date(2024, 1, 10)))
        assert dates.end_exclusive == date(2025, 1, 10)
        assert dates.reduction_days == 0

    def test_cpp_721_reduction_in_days_moves_the_end(self):
        dates = compute(
            case(
                sentence(years=1),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, days=45),),
            )
        )
        assert dates.end_exclusive == date(2024, 11, 26)

    def test_cpp_721_months_counted_back_from_the_pronounced_end(self):
        # 10/01/2025 - 2 months = 10/11/2024: 61 days.
        dates = compute(
            case(
                sentence(years=1),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, months=2),),
            )
        )
        assert dates.reduction_days == 61
        assert dates.end_exclusive == date(2024, 11, 10)

    def test_cpp_721_only_reductions_granted_by_as_of_count(self):
        reductions = (reduction(date(2024, 6, 1), days=30), reduction(date(2024, 12, 1), days=20))
        early = compute(
            case(
                sentence(years=2),
                ecrou=date(2024, 1, 10),
                reductions=reductions,
                as_of=date(2024, 11, 30),
            )
        )
        late = compute(
            case(
                sentence(years=2),
                ecrou=date(2024, 1, 10),
                reductions=reductions,
                as_of=date(2024, 12, 1),
            )
        )
        everything = compute(
            case(sentence(years=2), ecrou=date(2024, 1, 10), reductions=reductions)
        )
        assert early.reduction_days == 30
        assert late.reduction_days == 50
        assert everything.reduction_days == 50

    def test_cpp_721_a_reduction_rapportee_does_not_count(self):
        dates = compute(
            case(
                sentence(years=1),
                ecrou=date(2024, 1, 10),
                reductions=(
                    reduction(GRANTED, days=30),
                    reduction(GRANTED, days=20, withdrawn=True),
                ),
            )
        )
        assert dates.reduction_days == 30

    def test_cpp_721_ceiling_six_months_per_year(self):
        # 2 years: at most 12 months; 14 months granted → 12 months (10/01/2026 → 10/01/2025).
        dates = compute(
            case(
                sentence(years=2),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, months=14),),
            )
        )
        assert dates.end_exclusive == date(2025, 1, 10)
        assert any("plafond" in step.text for step in dates.explanation)

    def test_cpp_721_ceiling_fourteen_days_per_month_below_a_year(self):
        # 6 months: at most 6 × 14 = 84 days.
        dates = compute(
            case(
                sentence(months=6),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, days=100),),
            )
        )
        assert dates.reduction_days == 84

    def test_cpp_721_1_1_terrorism_ceiling_three_months_per_year(self):
        dates = compute(
            case(
                sentence(years=2, flags=("terrorisme",)),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, months=12),),
            )
        )
        # 6 months back from 10/01/2026 = 10/07/2025.
        assert dates.end_exclusive == date(2025, 7, 10)
        assert any("721-1-1" in step.article for step in dates.explanation)

    @pytest.mark.parametrize(
        ("nature", "end"),
        [("crime", date(2025, 7, 10)), ("delit", date(2025, 5, 10))],
    )
    def test_cpp_721_1_2_public_authority_victim_three_or_four_months(self, nature, end):
        dates = compute(
            case(
                sentence(years=2, nature=nature, flags=("victime_pdap",)),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, months=12),),
            )
        )
        assert dates.end_exclusive == end

    def test_cpp_721_1_2_pdap_seven_or_nine_days_per_month_below_a_year(self):
        dates = compute(
            case(
                sentence(months=10, flags=("victime_pdap",)),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, days=200),),
            )
        )
        assert dates.reduction_days == 90

    def test_cpp_721_a_former_crp_withdrawal_is_ignored_under_the_2023_regime(self):
        dates = compute(
            case(
                sentence(years=1),
                ecrou=date(2024, 1, 10),
                reductions=(reduction(GRANTED, days=30, kind="retrait_crp"),),
            )
        )
        assert dates.reduction_days == 0
        assert any("sans objet" in step.text for step in dates.explanation)


class TestFormerCreditRegime:
    @pytest.mark.parametrize(
        ("years", "months", "days", "credit_end"),
        [
            # 1 year from 01/06/2022 → 01/06/2023, credit 3 months.
            (1, 0, 0, date(2023, 3, 1)),
            # 5 years: 3 + 4 × 2 = 11 months.
            (5, 0, 0, date(2026, 7, 1)),
            # 8 months: 8 × 7 = 56 days (01/02/2023 - 56 days).
            (0, 8, 0, date(2022, 12, 7)),
            # 1 year 6 months: 3 months + 42 days.
            (1, 6, 0, date(2023, 7, 21)),
            # 1 year 9 months: 3 months + 63 days capped at 2 months = 5 months.
            (1, 9, 0, date(2023, 10, 1)),
        ],
    )
    def test_former_cpp_721_automatic_credit(self, years, months, days, credit_end):
        dates = compute(case(sentence(years, months, days), ecrou=date(2022, 6, 1)))
        assert dates.regime == "avant-2023"
        assert dates.end_exclusive == credit_end

    def test_former_cpp_721_one_month_sentence_gets_seven_days(self):
        dates = compute(case(sentence(months=1), ecrou=date(2022, 6, 1)))
        assert dates.reduction_days == 7

    def test_former_cpp_721_credit_per_sentence(self):
        # Two sentences of 1 year: 3 months each (not 3 + 2 for 2 years).
        dates = compute(case(sentence(years=1), sentence(years=1), ecrou=date(2022, 6, 1)))
        assert dates.end_exclusive == date(2023, 12, 1)

    def test_former_cpp_721_withdrawal_of_credit(self):
        withdrawal = reduction(date(2022, 10, 1), months=1, kind="retrait_crp")
        dates = compute(case(sentence(years=1), ecrou=date(2022, 6, 1), reductions=(withdrawal,)))
        assert dates.end_exclusive == date(2023, 4, 1)  # credit 3 months - 1 month

    def test_former_cpp_721_withdrawal_after_as_of_not_yet_counted(self):
        withdrawal = reduction(date(2022, 10, 1), months=1, kind="retrait_crp")
        dates = compute(
            case(
                sentence(years=1),
                ecrou=date(2022, 6, 1),
                reductions=(withdrawal,),
                as_of=date(2022, 9, 30),
            )
        )
        assert dates.end_exclusive == date(2023, 3, 1)

    def test_former_cpp_721_withdrawal_limited_to_the_credit(self):
        withdrawal = reduction(date(2022, 10, 1), months=6, kind="retrait_crp")
        dates = compute(case(sentence(years=1), ecrou=date(2022, 6, 1), reductions=(withdrawal,)))
        assert dates.end_exclusive == date(2023, 6, 1)
        assert dates.reduction_days == 0

    def test_former_cpp_721_1_rsp_added_within_three_months_per_year(self):
        rsp = (reduction(date(2022, 12, 1), months=5, kind="rsp"),)
        dates = compute(case(sentence(years=1), ecrou=date(2022, 6, 1), reductions=rsp))
        # Credit 3 months + RSP capped at 3 months: 01/06/2023 - 6 months.
        assert dates.end_exclusive == date(2022, 12, 1)

    def test_former_cpp_721_1_1_no_credit_for_terrorism(self):
        dates = compute(case(sentence(years=1, flags=("terrorisme",)), ecrou=date(2022, 6, 1)))
        assert dates.reduction_days == 0
        assert dates.end_exclusive == date(2023, 6, 1)

    def test_former_cpp_721_1_2_no_credit_for_public_authority_victims(self):
        dates = compute(case(sentence(years=1, flags=("victime_pdap",)), ecrou=date(2022, 6, 1)))
        assert dates.reduction_days == 0

    def test_a_custody_begun_again_in_2023_is_under_the_2023_regime(self):
        # Avis 8 January 2025: the caller gives the start of the current custody; the earlier
        # custody is only deducted (716-4), it does not bring back the credit.
        dates = compute(case(sentence(years=1), ecrou=date(2023, 2, 1), pre_trial_days=60))
        assert dates.regime == "2023"
        assert dates.reduction_days == 0
