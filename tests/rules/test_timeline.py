"""The measure's timeline: start, suspensions, planned end (parcours.rules.timeline)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.timeline import (
    ConvictionFacts,
    MeasureTimeline,
    Suspension,
    applicable_suspensions,
    legal_start,
    ongoing_suspension,
    planned_end,
)

JUDGMENT = date(2025, 1, 15)
EXECUTOIRE = date(2025, 1, 26)


def probation(**kwargs) -> MeasureTimeline:
    values = {
        "measure_type": "sursis_probatoire",
        "judgment": JUDGMENT,
        "executoire_on": EXECUTOIRE,
        "duration_months": 12,
    }
    values.update(kwargs)
    return MeasureTimeline(**values)


def jail(start: date, end: date | None) -> Suspension:
    return Suspension(start, end, "incarceration", "fiche pénale")


class TestCP132_41Start:
    def test_cp_132_41_probation_runs_from_the_executoire_date(self):
        start = legal_start(probation())
        assert start.day == EXECUTOIRE
        assert "CP art. 132-41 al. 2" in start.article

    def test_cp_132_41_execution_provisoire_runs_from_the_judgment(self):
        assert legal_start(probation(execution_provisoire=True)).day == JUDGMENT

    def test_cp_132_41_unknown_executoire_date_leaves_the_end_unknown(self):
        end = planned_end(probation(executoire_on=None))
        assert end.day is None
        assert "exécutoire non renseignée" in end.explanation

    def test_a_start_entered_by_the_greffe_takes_precedence(self):
        assert legal_start(probation(start=date(2025, 2, 1))).day == date(2025, 2, 1)

    def test_cp_132_63_ajournement_is_executoire_par_provision(self):
        start = legal_start(MeasureTimeline("ajournement_probation", JUDGMENT))
        assert (start.day, start.article) == (JUDGMENT, "CP art. 132-63")

    def test_cp_131_5_1_stage_runs_from_the_final_conviction(self):
        timeline = MeasureTimeline(
            "stage", JUDGMENT, executoire_on=EXECUTOIRE, final_on=date(2025, 2, 5)
        )
        assert legal_start(timeline).day == date(2025, 2, 5)

    def test_dates_before_the_judgment_are_refused(self):
        with pytest.raises(ValueError, match="précéder le jugement"):
            probation(executoire_on=date(2025, 1, 1))


class TestCP132_43Suspensions:
    def test_cp_132_42_planned_end_without_suspension(self):
        end = planned_end(probation())
        assert end.day == date(2026, 1, 25)
        assert "12 mois" in end.explanation and "25/01/2026" in end.explanation

    def test_cp_132_43_incarceration_of_40_days_moves_end_of_probation(self):
        end = planned_end(probation(person_periods=(jail(date(2025, 3, 1), date(2025, 4, 10)),)))
        assert end.day == date(2026, 1, 25) + timedelta(days=40)
        assert end.suspended_days == 40
        assert "incarcération du 01/03/2025 au 09/04/2025 inclus" in end.explanation
        assert "CP art. 132-43 al. 2" in end.explanation

    def test_cp_132_43_service_national_suspends_probation(self):
        service = Suspension(date(2025, 6, 1), date(2025, 6, 11), "service_national")
        assert planned_end(probation(person_periods=(service,))).suspended_days == 10

    def test_cp_132_43_incarceration_before_the_start_does_not_count(self):
        end = planned_end(probation(person_periods=(jail(date(2024, 5, 1), date(2024, 6, 1)),)))
        assert end.day == date(2026, 1, 25)

    def test_cp_132_43_overlapping_periods_count_once(self):
        periods = (
            jail(date(2025, 3, 1), date(2025, 4, 10)),
            Suspension(date(2025, 4, 1), date(2025, 4, 20), "service_national"),
        )
        assert planned_end(probation(person_periods=periods)).suspended_days == 50

    def test_cp_132_43_names_neither_arse_nor_a_jap_suspension(self):
        arse = Suspension(date(2025, 3, 1), date(2025, 4, 1), "arse")
        timeline = probation(suspensions=(arse,))
        assert applicable_suspensions(timeline).ignored == (arse,)
        end = planned_end(timeline)
        assert end.day == date(2026, 1, 25)
        assert "non prises en compte" in end.explanation

    def test_cp_132_43_ongoing_incarceration_leaves_the_end_unknown(self):
        end = planned_end(probation(person_periods=(jail(date(2025, 3, 1), None),)))
        assert end.day is None
        assert "premier jour de reprise" in end.explanation

    def test_cp_132_43_ongoing_suspension_is_found_for_a_date(self):
        timeline = probation(person_periods=(jail(date(2025, 3, 1), date(2025, 4, 10)),))
        assert ongoing_suspension(timeline, date(2025, 3, 15)) is not None
        assert ongoing_suspension(timeline, date(2025, 4, 10)) is None  # first day back

    def test_cp_132_64_ajournement_probation_is_suspended_too(self):
        timeline = MeasureTimeline(
            "ajournement_probation",
            JUDGMENT,
            duration_months=12,
            person_periods=(jail(date(2025, 3, 1), date(2025, 3, 11)),),
        )
        end = planned_end(timeline)
        assert end.day == date(2026, 1, 24)
        assert "132-64" in end.explanation

    def test_cp_131_22_arse_suspends_the_tig_delay_only(self):
        arse = Suspension(date(2025, 3, 1), date(2025, 4, 1), "arse")
        tig = MeasureTimeline("tig", JUDGMENT, executoire_on=EXECUTOIRE, suspensions=(arse,))
        assert [s for s, _ in applicable_suspensions(tig).applied] == [arse]

    def test_other_measures_keep_the_end_of_the_decision(self):
        timeline = MeasureTimeline(
            "liberation_conditionnelle",
            JUDGMENT,
            end=date(2027, 5, 1),
            person_periods=(jail(date(2025, 3, 1), date(2025, 4, 10)),),
        )
        assert planned_end(timeline).day == date(2027, 5, 1)

    def test_a_suspension_must_end_after_it_starts(self):
        with pytest.raises(ValueError, match="premier jour de reprise"):
            jail(date(2025, 3, 1), date(2025, 3, 1))

    def test_an_unknown_reason_is_refused(self):
        with pytest.raises(ValueError, match="Motif de suspension inconnu"):
            Suspension(date(2025, 3, 1), None, "vacances")

    @given(
        st.integers(0, 330),
        st.integers(1, 900),
        st.sampled_from([12, 18, 24, 36, 60]),
    )
    def test_an_incarceration_of_n_days_moves_the_end_of_probation_by_exactly_n_days(
        self, offset, days, months
    ):
        start = EXECUTOIRE + timedelta(days=offset)
        period = jail(start, start + timedelta(days=days))
        without = planned_end(probation(duration_months=months)).day
        with_jail = planned_end(probation(duration_months=months, person_periods=(period,))).day
        assert without is not None and with_jail is not None
        assert (with_jail - without).days == days


class TestConvictionFacts:
    def test_ssj_offence_is_this_or_an_earlier_conviction(self):
        assert ConvictionFacts(ssj_encouru=True).ssj_offence
        assert ConvictionFacts(ssj_antecedent=True).ssj_offence
        assert not ConvictionFacts().ssj_offence

    def test_unknown_nature_is_refused(self):
        with pytest.raises(ValueError, match="crime, délit ou contravention"):
            ConvictionFacts(nature="faute")


def test_the_source_of_a_suspension_is_shown_in_the_computation():
    end = planned_end(probation(person_periods=(jail(date(2025, 3, 1), date(2025, 4, 10)),)))
    assert "[source : fiche pénale]" in end.explanation


def test_an_end_date_the_judgment_fixed_is_referenced_as_such_not_an_article():
    """A measure without a duration (an ordinary TIG of the demo, a stage…) ends on the date the
    judgment fixed: "À traiter" shows that reference in words, never a bare « décision »."""
    end = planned_end(MeasureTimeline("stage_citoyennete", JUDGMENT, end=date(2025, 6, 30)))
    assert end.day == date(2025, 6, 30)
    assert end.article == "date fixée par le jugement"
