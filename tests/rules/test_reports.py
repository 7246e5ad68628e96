"""The reports workflow table, exhaustively: every status × action × capacity."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from parcours.rules import reports as r

R, E, J = r.REDACTEUR, r.ENCADREMENT, r.JURIDICTION

# (status, action) -> capacities allowed (for a non-author unless stated in the test).
EXPECTED: dict[tuple[str, str], set[str]] = {
    (r.BROUILLON, r.MODIFIER): {R, E},
    (r.BROUILLON, r.SOUMETTRE): {R},
    (r.SOUMIS, r.VALIDER): {E},
    (r.SOUMIS, r.RENVOYER): {E},
    (r.VALIDE, r.TRANSMETTRE): {R, E},
    (r.TRANSMIS, r.ACCUSER_RECEPTION): {J},
    (r.TRANSMIS, r.ENREGISTRER_DECISION): {J},
    (r.RECU, r.ENREGISTRER_DECISION): {J},
}
CAPACITY_SETS = [frozenset(), frozenset({R}), frozenset({E}), frozenset({J}), frozenset({R, E})]


@pytest.mark.parametrize(
    ("status", "action", "capacities"),
    list(itertools.product(r.STATUSES, r.ACTIONS, CAPACITY_SETS)),
)
def test_every_status_action_capacity(status: str, action: str, capacities: frozenset[str]) -> None:
    allowed = EXPECTED.get((status, action), set())
    reason = r.refusal(status, action, r.Actor(capacities))
    if capacities & allowed:
        assert reason is None
        assert r.next_status(status, action) in r.STATUSES
    else:
        assert reason, (status, action, capacities)
        assert isinstance(reason, str)


def test_nobody_validates_their_own_report() -> None:
    author = r.Actor(frozenset({R, E}), is_author=True)
    assert "rédigé" in (r.refusal(r.SOUMIS, r.VALIDER, author) or "")
    assert r.refusal(r.SOUMIS, r.RENVOYER, author) is None


@pytest.mark.parametrize("status", r.FROZEN_STATUSES)
def test_a_transmitted_report_can_never_be_modified(status: str) -> None:
    for capacities in CAPACITY_SETS:
        reason = r.refusal(status, r.MODIFIER, r.Actor(capacities))
        assert reason and "transmis" in reason


def test_transitions_lead_where_the_lifecycle_says() -> None:
    assert r.next_status(r.BROUILLON, r.SOUMETTRE) == r.SOUMIS
    assert r.next_status(r.SOUMIS, r.RENVOYER) == r.BROUILLON
    assert r.next_status(r.SOUMIS, r.VALIDER) == r.VALIDE
    assert r.next_status(r.VALIDE, r.TRANSMETTRE) == r.TRANSMIS
    assert r.next_status(r.TRANSMIS, r.ACCUSER_RECEPTION) == r.RECU
    assert r.next_status(r.RECU, r.ENREGISTRER_DECISION) == r.DECISION
    assert r.available_actions(r.DECISION, r.Actor(frozenset({R, E, J}))) == []


def test_unknown_status_or_action_is_refused() -> None:
    assert r.refusal("nimporte", r.VALIDER, r.Actor(frozenset({E}))) == "Action inconnue."
    assert r.refusal(r.SOUMIS, "supprimer", r.Actor(frozenset({E}))) == "Action inconnue."


def test_overdue_until_it_reaches_the_court() -> None:
    today = date(2026, 11, 27)
    assert r.is_overdue(r.BROUILLON, date(2026, 11, 26), today)
    assert not r.is_overdue(r.BROUILLON, today, today)
    assert not r.is_overdue(r.BROUILLON, None, today)
    assert not r.is_overdue(r.TRANSMIS, date(2026, 1, 1), today)


def test_version_in_force_by_effective_date() -> None:
    versions = [{"effective_from": "2020-01-01", "n": 1}, {"effective_from": "2026-10-01", "n": 2}]
    assert r.version_in_force(versions, date(2026, 9, 30))["n"] == 1
    assert r.version_in_force(versions, date(2026, 10, 1))["n"] == 2
    with pytest.raises(ValueError, match="Aucun modèle"):
        r.version_in_force(versions, date(2019, 12, 31))


def test_content_problems() -> None:
    keys = ["a", "b"]
    assert r.content_problems({"a": "texte"}, keys) == []
    assert r.content_problems([], keys) == ["Le contenu du rapport est illisible."]
    assert "Rubrique inconnue" in r.content_problems({"z": ""}, keys)[0]
    assert "illisible" in r.content_problems({"a": 3}, keys)[0]
    assert "dépasse" in r.content_problems({"a": "x" * (r.MAX_SECTION_CHARS + 1)}, keys)[0]
    assert "nul" in r.content_problems({"a": "a\x00b"}, keys)[0]
