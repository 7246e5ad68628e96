from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.breaches import BreachFact, breaches_in_window, propose_next_step

TODAY = date(2026, 11, 27)


def test_no_breach_proposes_nothing():
    assert propose_next_step([], TODAY) is None


def test_first_breach_proposes_a_recall_of_obligations():
    proposal = propose_next_step([BreachFact(TODAY - timedelta(days=3))], TODAY)
    assert proposal is not None and proposal.step == "rappel"


def test_second_breach_in_12_months_proposes_a_convocation():
    facts = [BreachFact(date(2026, 1, 10)), BreachFact(date(2026, 11, 1))]
    assert propose_next_step(facts, TODAY).step == "convocation"  # type: ignore[union-attr]


def test_132_47_third_breach_proposes_an_incident_report_to_the_jap():
    facts = [BreachFact(date(2026, m, 1)) for m in (3, 6, 9)]
    proposal = propose_next_step(facts, TODAY)
    assert proposal is not None and proposal.step == "rapport_incident"
    assert "132-47" in proposal.article


def test_132_47_serious_breach_goes_straight_to_the_jap():
    proposal = propose_next_step([BreachFact(TODAY, serious=True)], TODAY)
    assert proposal is not None and proposal.step == "rapport_incident"


def test_breaches_older_than_the_window_do_not_count():
    facts = [BreachFact(date(2025, 11, 26)), BreachFact(date(2026, 11, 1))]
    assert len(breaches_in_window(facts, TODAY)) == 1
    assert propose_next_step(facts, TODAY).step == "rappel"  # type: ignore[union-attr]


def test_window_is_configurable():
    facts = [BreachFact(date(2026, 6, 1)), BreachFact(date(2026, 11, 1))]
    assert propose_next_step(facts, TODAY, window_days=90).count_in_window == 1  # type: ignore[union-attr]


def test_future_breaches_are_ignored():
    assert propose_next_step([BreachFact(TODAY + timedelta(days=1))], TODAY) is None


STEPS = ["rappel", "convocation", "rapport_incident"]


@given(st.lists(st.integers(min_value=0, max_value=800), max_size=8), st.integers(0, 800))
def test_one_more_breach_never_lowers_the_proposed_step(ages, extra_age):
    facts = [BreachFact(TODAY - timedelta(days=a)) for a in ages]
    before = propose_next_step(facts, TODAY)
    after = propose_next_step([*facts, BreachFact(TODAY - timedelta(days=extra_age))], TODAY)
    rank_before = STEPS.index(before.step) if before else -1
    rank_after = STEPS.index(after.step) if after else -1
    assert rank_after >= rank_before
