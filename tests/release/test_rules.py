"""rules.release: offsets, countdown, progress, the 741-1 delay, sortie sèche, indicators."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.rules import release as rules
from parcours.rules.release import ItemStatus as S
from parcours.rules.release import ReleaseFact

RELEASE = date(2027, 5, 31)


def test_items_are_due_at_their_offset_from_the_release_date_in_due_order():
    items = rules.plan_items(RELEASE, probation_follows=True)
    by_key = {item.key: item for item in items}
    assert by_key["identite"].due_on == date(2027, 3, 17)  # 75 days before
    assert by_key["hebergement"].due_on == date(2027, 4, 1)  # 60 days before
    assert by_key["transport"].due_on == date(2027, 5, 24)
    assert [i.due_on for i in items] == sorted(i.due_on for i in items)
    assert {i.key for i in items} == {spec.key for spec in rules.CHECKLIST}
    assert all(i.status == S.A_FAIRE for i in items)


def test_probation_items_are_sans_objet_with_a_reason_when_no_measure_follows():
    items = {i.key: i for i in rules.plan_items(RELEASE, probation_follows=False)}
    for key in (rules.FIRST_APPOINTMENT, rules.NOTICE_741_1):
        assert items[key].status == S.SANS_OBJET
        assert items[key].reason == rules.NO_PROBATION_REASON
    assert items["hebergement"].status == S.A_FAIRE


@pytest.mark.parametrize(
    ("today", "label", "short"),
    [
        (date(2027, 5, 8), "J-23 avant la date de libération prévisionnelle", "J-23"),
        (date(2027, 5, 30), "J-1 avant la date de libération prévisionnelle", "J-1"),
        (RELEASE, "J0 : libération prévisionnelle aujourd'hui", "J0"),
        (date(2027, 6, 1), "Date de libération prévisionnelle dépassée de 1 jour", "J+1"),
        (date(2027, 6, 3), "Date de libération prévisionnelle dépassée de 3 jours", "J+3"),
    ],
)
def test_countdown(today, label, short):
    assert rules.countdown_label(RELEASE, today) == label
    assert rules.countdown_short(RELEASE, today) == short


def test_progress_leaves_sans_objet_out():
    counted = rules.progress([S.FAIT, S.A_FAIRE, S.SANS_OBJET, S.FAIT])
    assert (counted.done, counted.applicable, counted.percent) == (2, 3, 67)
    assert counted.label == "2 sur 3"
    assert rules.progress([S.SANS_OBJET]).percent == 100


def test_overdue_only_when_still_to_do_and_past_due():
    assert rules.is_overdue(S.A_FAIRE, date(2027, 3, 1), date(2027, 3, 2))
    assert not rules.is_overdue(S.A_FAIRE, date(2027, 3, 2), date(2027, 3, 2))
    assert not rules.is_overdue(S.FAIT, date(2027, 3, 1), date(2027, 3, 2))


@pytest.mark.parametrize(
    ("statuses", "prepared"),
    [
        (None, False),  # no checklist
        ((), False),
        ((S.A_FAIRE, S.A_FAIRE), False),
        ((S.FAIT, S.A_FAIRE, S.A_FAIRE), False),  # a third
        ((S.FAIT, S.A_FAIRE), True),  # exactly half
        ((S.FAIT, S.SANS_OBJET, S.SANS_OBJET, S.A_FAIRE), True),
        ((S.SANS_OBJET, S.SANS_OBJET), False),  # nothing done at all
    ],
)
def test_prepared_threshold(statuses, prepared):
    assert rules.is_prepared(statuses) is prepared


@pytest.mark.parametrize(
    ("kind", "follows", "checklist", "seche"),
    [
        ("fin_de_peine", False, None, True),  # nothing at all
        ("fin_de_peine", False, (S.FAIT, S.A_FAIRE, S.A_FAIRE), True),  # started, not prepared
        ("fin_de_peine", False, (S.FAIT, S.FAIT, S.A_FAIRE), False),  # prepared
        ("fin_de_peine", True, None, False),  # a measure follows
        ("lsc", False, None, False),  # under an adjustment
        ("ddse", False, None, False),
        ("mise_en_liberte", False, None, True),
    ],
)
def test_sortie_seche(kind, follows, checklist, seche):
    assert (
        rules.is_sortie_seche(release_kind=kind, measure_follows=follows, checklist=checklist)
        is seche
    )


def test_741_1_delay_eight_days_for_ssj_or_renforce_one_month_otherwise():
    short = rules.notice_delay(
        date(2027, 1, 31), ssj_encouru=True, ssj_antecedent=False, renforce=False
    )
    assert short.appear_by == date(2027, 2, 8) and short.delay == "huit jours"
    b1 = rules.notice_delay(
        date(2027, 1, 31), ssj_encouru=False, ssj_antecedent=True, renforce=False
    )
    assert b1.appear_by == date(2027, 2, 8)
    spr = rules.notice_delay(
        date(2027, 1, 31), ssj_encouru=False, ssj_antecedent=False, renforce=True
    )
    assert spr.appear_by == date(2027, 2, 8) and "renforcé" in spr.why
    month = rules.notice_delay(
        date(2027, 1, 31), ssj_encouru=False, ssj_antecedent=False, renforce=False
    )
    assert month.appear_by == date(2027, 2, 28) and month.delay == "un mois" and month.why == ""


def test_indicators_count_releases_prepared_adjusted_and_seches():
    facts = [
        ReleaseFact("fin_de_peine", False, None),  # sèche
        ReleaseFact("fin_de_peine", False, (S.FAIT, S.FAIT)),  # prepared
        ReleaseFact("lc", False, None),  # adjustment
        ReleaseFact("fin_de_peine", True, (S.A_FAIRE,)),  # a measure follows
    ]
    counts = rules.indicators(facts)
    assert (counts.releases, counts.prepared, counts.under_adjustment, counts.sorties_seches) == (
        4,
        1,
        1,
        1,
    )
    assert (counts.prepared_percent, counts.adjustment_percent, counts.seches_percent) == (
        25,
        25,
        25,
    )
    assert rules.indicators([]).prepared_percent == 0
