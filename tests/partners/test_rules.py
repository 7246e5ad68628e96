"""The referral rules (pure): the status machine's table, consent, the data sets."""

from __future__ import annotations

import pytest

from parcours.rules import referrals as rules
from parcours.rules.referrals import Action, Actor, Field
from parcours.rules.vocabulary import ReferralStatus as S


def test_the_happy_path_from_draft_to_closed() -> None:
    status = S.BROUILLON
    for action, actor in [
        (Action.ENVOYER, Actor.SPIP),
        (Action.ACCEPTER, Actor.PARTENAIRE),
        (Action.DEBUTER, Actor.PARTENAIRE),
        (Action.TERMINER, Actor.PARTENAIRE),
        (Action.CLOTURER, Actor.SPIP),
    ]:
        status = rules.next_status(status, action, actor)
    assert status == S.CLOTUREE


def test_a_declined_referral_is_closed_by_the_spip() -> None:
    status = rules.next_status(S.ENVOYEE, Action.REFUSER, Actor.PARTENAIRE)
    assert status == S.REFUSEE
    assert rules.next_status(status, Action.CLOTURER, Actor.SPIP) == S.CLOTUREE


@pytest.mark.parametrize(
    ("status", "action", "actor", "message"),
    [
        (S.BROUILLON, Action.ACCEPTER, Actor.PARTENAIRE, "statut « brouillon »"),
        (S.ENVOYEE, Action.ACCEPTER, Actor.SPIP, "Seul le partenaire"),
        (S.TERMINEE, Action.CLOTURER, Actor.PARTENAIRE, "Seul le spip"),
        (S.CLOTUREE, Action.ENVOYER, Actor.SPIP, "statut « clôturée »"),
        (S.EN_COURS, Action.ANNULER, Actor.SPIP, "statut « en cours »"),
    ],
)
def test_forbidden_transitions_say_why_in_french(
    status: str, action: str, actor: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        rules.next_status(status, action, actor)


def test_the_buttons_follow_the_table() -> None:
    assert rules.actions_for(S.ENVOYEE, Actor.PARTENAIRE) == [Action.ACCEPTER, Action.REFUSER]
    assert rules.actions_for(S.ENVOYEE, Actor.SPIP) == [Action.ANNULER]
    assert rules.actions_for(S.CLOTUREE, Actor.SPIP) == []


def test_a_draft_is_never_visible_to_a_partner() -> None:
    assert S.BROUILLON not in rules.PARTNER_VISIBLE
    assert S.ANNULEE not in rules.PARTNER_VISIBLE
    assert S.ENVOYEE in rules.PARTNER_VISIBLE


def test_consent_is_asked_only_where_the_kind_requires_it() -> None:
    assert rules.consent_problem(rules.kind("mission_locale"), None)
    assert rules.consent_problem(rules.kind("france_travail_emploi"), None) is None


def test_data_sets_never_hold_more_than_needed() -> None:
    france_travail = rules.kind("france_travail_emploi")
    assert france_travail.fields == {Field.IDENTITE, Field.CONTACT, Field.OBLIGATION}
    assert all(Field.IDENTITE in k.fields for k in rules.KINDS)
    assert [k.code for k in rules.KINDS if Field.ADRESSE in k.fields] == ["siao_hebergement"]
    assert [k.code for k in rules.KINDS if k.tig_hours] == ["tig"]


def test_an_unknown_kind_is_refused_in_french() -> None:
    with pytest.raises(ValueError, match="Type d'orientation inconnu"):
        rules.kind("teleportation")
