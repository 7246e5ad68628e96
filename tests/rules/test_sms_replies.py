"""The reading of an SMS reply (parcours.rules.sms_replies): pure, no database."""

from __future__ import annotations

import pytest

from parcours.rules.sms_replies import ParsedReply, parse_sms_reply
from parcours.rules.vocabulary import InboundKeyword

OUI, NON, STOP, AUTRE = (
    InboundKeyword.OUI,
    InboundKeyword.NON,
    InboundKeyword.STOP,
    InboundKeyword.AUTRE,
)


@pytest.mark.parametrize(
    ("text", "keyword", "more"),
    [
        ("OUI", OUI, False),
        ("oui", OUI, False),
        ("Oui.", OUI, False),
        ("  oui !! ", OUI, False),
        ("oui merci", OUI, False),
        ("Ok", OUI, False),
        ("d'accord", OUI, False),
        ("Bonjour, je confirme", OUI, False),
        ("Oui je serai là", OUI, False),
        ("OUI à bientôt", OUI, False),
        ("NON", NON, False),
        ("non merci", NON, False),
        ("Non.", NON, False),
        ("Je ne pourrai pas", NON, False),
        ("je ne peux pas venir", NON, False),
        ("Non je suis malade", NON, True),
        ("non, j'ai un entretien d'embauche", NON, True),
        ("oui mais je serai en retard", OUI, True),
        ("STOP", STOP, False),
        ("Stop.", STOP, False),
        ("stop merci", STOP, False),
        ("STOP SMS", STOP, False),
    ],
)
def test_keywords(text: str, keyword: InboundKeyword, more: bool) -> None:
    assert parse_sms_reply(text) == ParsedReply(keyword, more=more)


@pytest.mark.parametrize(
    "text",
    [
        "oui mais non",
        "non oui",
        "oui je ne peux pas",
        "Je ne peux pas, ok ?",
        "stop le rendez-vous est trop tôt",
        "Qui êtes-vous ?",
        "Ouiii",
        "nonnn",
        "je cherche un logement",
        "bonjour",
        "",
        "   ",
        "?!",
    ],
)
def test_anything_else_is_a_text_to_read(text: str) -> None:
    assert parse_sms_reply(text).keyword is AUTRE


def test_accents_and_case_are_ignored() -> None:
    assert parse_sms_reply("JE SERAI LÀ") == ParsedReply(OUI)
    assert parse_sms_reply("Pas possible") == ParsedReply(NON)
