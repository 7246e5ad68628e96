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


# --- Graduated response as data (issue 13, finding 7) ---------------------------------------


def test_cp_132_45_13_contact_with_the_victim_calls_for_an_immediate_incident_report():
    facts = [BreachFact(TODAY - timedelta(days=2), kind="interdiction", obligation="cp_132_45_13")]
    proposal = propose_next_step(facts, TODAY)
    assert proposal is not None and proposal.step == "rapport_incident"
    assert "132-45 13°" in proposal.article
    assert "immédiat" in proposal.rule


def test_cp_132_45_18_bis_anti_approach_device_breach_calls_for_an_incident_report():
    facts = [BreachFact(TODAY, obligation="cp_132_45_18_bis")]
    proposal = propose_next_step(facts, TODAY)
    assert proposal is not None and proposal.step == "rapport_incident"
    assert "18° bis" in proposal.article and "anti-rapprochement" in proposal.explanation


def test_cp_132_48_a_new_offence_calls_for_an_incident_report_not_a_recall():
    proposal = propose_next_step([BreachFact(TODAY, kind="infraction")], TODAY)
    assert proposal is not None and proposal.step == "rapport_incident"


def test_an_ordinary_first_breach_is_still_a_recall_and_shows_the_ladder():
    proposal = propose_next_step(
        [BreachFact(TODAY, kind="absence", obligation="cp_132_44_1")], TODAY
    )
    assert proposal is not None and proposal.step == "rappel"
    assert "3 ou plus → rapport d'incident au jap" in proposal.rule


def test_breaches_are_counted_per_measure():
    facts = [
        BreachFact(date(2026, 3, 1), measure=1),
        BreachFact(date(2026, 6, 1), measure=2),
        BreachFact(date(2026, 9, 1), measure=2),
    ]
    assert propose_next_step(facts, TODAY).step == "rapport_incident"  # type: ignore[union-attr]
    assert propose_next_step(facts, TODAY, measure=1).step == "rappel"  # type: ignore[union-attr]
    assert propose_next_step(facts, TODAY, measure=2).step == "convocation"  # type: ignore[union-attr]
    assert propose_next_step(facts, TODAY, measure=3) is None


@given(
    st.lists(
        st.tuples(
            st.integers(0, 400),
            st.sampled_from(["", "absence", "interdiction", "infraction"]),
            st.sampled_from(["", "cp_132_44_1", "cp_132_45_13", "cp_132_45_18_bis", "cp_132_45_3"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_an_immediate_rule_always_wins(raw):
    facts = [BreachFact(TODAY - timedelta(days=d), kind=k, obligation=o) for d, k, o in raw]
    proposal = propose_next_step(facts, TODAY)
    recent = breaches_in_window(facts, TODAY)
    immediate = any(
        b.kind == "infraction" or b.obligation in {"cp_132_45_13", "cp_132_45_18_bis"}
        for b in recent
    )
    if not recent:
        assert proposal is None
    elif immediate:
        assert proposal is not None and proposal.step == "rapport_incident"


# --- The response table: every row cites a line of docs/legal-sources.md -------------------


def test_r_breaches_every_row_of_the_table_has_a_legal_sources_line():
    from pathlib import Path

    from parcours.rules.breaches import RESPONSE_TABLE

    sources = (Path(__file__).resolve().parents[2] / "docs" / "legal-sources.md").read_text()
    for row in RESPONSE_TABLE:
        assert f"| `{row.key}` |" in sources, row.key
        assert row.step in STEPS and row.reason


def test_r_breaches_local_practice_is_said_in_the_rule_shown():
    ladder = propose_next_step([BreachFact(TODAY, kind="absence")], TODAY)
    assert ladder is not None and ladder.practice and ladder.rule_key == "R-BREACHES-LADDER"
    assert "pratique du service (à confirmer)" in ladder.rule
    device = propose_next_step([BreachFact(TODAY, obligation="cp_132_45_18_bis")], TODAY)
    assert device is not None and not device.practice
    assert "lecture des articles" in device.rule


def test_cp_132_45_18_appearing_at_the_couple_home_calls_for_incident_report():
    facts = [BreachFact(TODAY, kind="interdiction", obligation="cp_132_45_18")]
    proposal = propose_next_step(facts, TODAY)
    assert proposal is not None and proposal.step == "rapport_incident"
    assert proposal.rule_key == "R-BREACHES-132-45-18" and proposal.practice


def test_r_breaches_an_immediate_row_wins_over_an_older_ordinary_breach_of_the_measure():
    facts = [
        BreachFact(TODAY - timedelta(days=40), kind="absence", measure="m"),
        BreachFact(TODAY - timedelta(days=3), kind="infraction", measure="m"),
    ]
    proposal = propose_next_step(facts, TODAY, measure="m")
    assert proposal is not None and proposal.rule_key == "R-BREACHES-NEW-OFFENCE"
    assert proposal.explanation.startswith(
        f"Manquement du {TODAY - timedelta(days=3):%d/%m/%Y} : nouvelle infraction"
    )
    assert proposal.count_in_window == 2


def test_r_breaches_a_new_offence_of_another_measure_does_not_escalate_this_one():
    facts = [
        BreachFact(TODAY - timedelta(days=3), kind="infraction", measure="other"),
        BreachFact(TODAY - timedelta(days=1), kind="absence", measure="this"),
    ]
    proposal = propose_next_step(facts, TODAY, measure="this")
    assert proposal is not None and proposal.step == "rappel"
