"""rules.handovers: CPP art. 712-10 (the JAP of the new habitual residence; a detainee's follows
the establishment) and the conventions of ADR 0032."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.rules import handovers as rules
from parcours.rules.handovers import HandoverAction as A
from parcours.rules.vocabulary import HandoverStatus as S


def test_cpp_712_10_al4_a_free_person_may_be_handed_to_another_ressort() -> None:
    assert rules.request_problem(same_spip=False, detained=False, waiting=False) is None


def test_cpp_712_10_al1_a_detainee_follows_the_establishment_not_a_handover() -> None:
    assert rules.request_problem(same_spip=False, detained=True, waiting=False) == rules.DETAINED
    assert "712-10" in rules.DETAINED


def test_cpp_712_10_al4_the_new_ressort_is_another_one() -> None:
    assert rules.request_problem(same_spip=True, detained=False, waiting=False) == rules.SAME_SPIP


def test_adr_0032_one_handover_waits_at_a_time() -> None:
    problem = rules.request_problem(same_spip=False, detained=False, waiting=True)
    assert problem == rules.ALREADY_WAITING


@pytest.mark.parametrize(
    ("action", "status"),
    [(A.ACCEPTER, S.ACCEPTE), (A.REFUSER, S.REFUSE), (A.ANNULER, S.ANNULE)],
)
def test_adr_0032_a_waiting_handover_is_decided_once(action: str, status: str) -> None:
    assert rules.next_status(S.EN_ATTENTE, action) == status
    for decided in (S.ACCEPTE, S.REFUSE, S.ANNULE):
        with pytest.raises(ValueError, match="plus rien à décider"):
            rules.next_status(decided, action)


def test_adr_0032_a_refusal_and_a_withdrawal_say_why() -> None:
    assert rules.needs_reason(A.REFUSER) and rules.needs_reason(A.ANNULER)
    assert not rules.needs_reason(A.ACCEPTER)


def test_adr_0032_late_after_the_waiting_days_not_on_them() -> None:
    asked = date(2027, 3, 1)
    assert rules.waiting_days(asked, date(2027, 3, 11)) == rules.WAITING_DAYS
    assert not rules.is_late(asked, date(2027, 3, 11))
    assert rules.is_late(asked, date(2027, 3, 12))
    assert rules.waiting_days(asked, date(2027, 2, 1)) == 0  # a clock behind never goes negative
