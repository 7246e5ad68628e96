"""What an SMS reply says: STOP, OUI, NON or anything else (issue 18, replies by SMS).

Pure: no Django. The reminder SMS asks the person to answer OUI or NON; people answer "Oui.",
"ok merci", "non merci", "Bonjour, je confirme", "NON je suis malade"… A reply is OUI or NON
when its first meaningful words say so and nothing contradicts them; it carries `more` when it
says something beyond politeness (then the CPIP reads it). A reply that says both, or neither,
is AUTRE: a message for the CPIP to read, never a guess. STOP is the French SMS opt-out keyword
(the STOP link's effect; no legal article: the opt-out is the operators' rule, kept as is).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from parcours.rules.vocabulary import InboundKeyword

__all__ = ["InboundKeyword", "ParsedReply", "parse_sms_reply"]

_WORD = re.compile(r"[a-z0-9]+")
GREETINGS = frozenset({"bonjour", "bonsoir", "salut", "madame", "monsieur", "allo"})
YES_WORDS = frozenset({"oui", "ouais", "ouai", "ok", "okay", "oki", "yes", "daccord", "confirme"})
NO_WORDS = frozenset({"non", "nan", "no", "impossible"})
# Phrases read as one word (accents removed, apostrophes split: "d'accord" → "d accord").
YES_PHRASES = (("d", "accord"), ("je", "confirme"), ("je", "serai", "la"), ("je", "viens"))
NO_PHRASES = (
    ("je", "ne", "peux", "pas"),
    ("je", "peux", "pas"),
    ("je", "ne", "pourrai", "pas"),
    ("je", "pourrai", "pas"),
    ("je", "ne", "viendrai", "pas"),
    ("pas", "possible"),
)
STOP_WORDS = frozenset({"stop", "stopsms"})
# Words that add nothing for the CPIP: "oui merci", "non merci beaucoup", "ok c'est noté".
FILLER = frozenset(
    {
        *GREETINGS,
        "merci",
        "beaucoup",
        "bien",
        "sur",
        "cordialement",
        "bonne",
        "journee",
        "soiree",
        "svp",
        "sms",
        "c",
        "est",
        "note",
        "recu",
        "a",
        "bientot",
        "tres",
        # The keyword's own words repeated: "oui je confirme", "non je ne pourrai pas".
        "je",
        "j",
        "y",
        "confirme",
        "serai",
        "la",
        "present",
        "presente",
        "viens",
        "ne",
        "peux",
        "pas",
        "pourrai",
        "viendrai",
        "venir",
        "possible",
    }
)


@dataclass(frozen=True)
class ParsedReply:
    keyword: InboundKeyword
    # The reply says more than its keyword (a reason, a question): the CPIP should read it.
    more: bool = False


def words(text: str) -> list[str]:
    """Lower case, accents removed, split on anything that is not a letter or a digit."""
    folded = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return _WORD.findall(ascii_text)


def _phrase_at(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> int:
    """The length of the phrase `tokens` starts with, 0 if none."""
    for phrase in phrases:
        if tuple(tokens[: len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _lead(tokens: list[str]) -> tuple[InboundKeyword | None, int]:
    """The keyword the tokens start with and how many tokens it takes."""
    if not tokens:
        return None, 0
    if tokens[0] in YES_WORDS:
        return InboundKeyword.OUI, 1
    if tokens[0] in NO_WORDS:
        return InboundKeyword.NON, 1
    if size := _phrase_at(tokens, YES_PHRASES):
        return InboundKeyword.OUI, size
    if size := _phrase_at(tokens, NO_PHRASES):
        return InboundKeyword.NON, size
    return None, 0


def _contradicts(keyword: InboundKeyword, tokens: list[str]) -> bool:
    opposite_words = NO_WORDS if keyword is InboundKeyword.OUI else YES_WORDS
    opposite_phrases = NO_PHRASES if keyword is InboundKeyword.OUI else YES_PHRASES
    for index, token in enumerate(tokens):
        if token in opposite_words or _phrase_at(tokens[index:], opposite_phrases):
            return True
    return False


def parse_sms_reply(text: str) -> ParsedReply:
    """STOP, OUI or NON (with `more` when the reply says something else too), or AUTRE."""
    tokens = words(text)
    while tokens and tokens[0] in GREETINGS:
        tokens = tokens[1:]
    if not tokens:
        return ParsedReply(InboundKeyword.AUTRE)
    if tokens[0] in STOP_WORDS and all(t in STOP_WORDS or t in FILLER for t in tokens[1:]):
        return ParsedReply(InboundKeyword.STOP)
    keyword, size = _lead(tokens)
    if keyword is None:
        return ParsedReply(InboundKeyword.AUTRE, more=True)
    rest = tokens[size:]
    if _contradicts(keyword, rest):
        return ParsedReply(InboundKeyword.AUTRE, more=True)
    more = any(token not in FILLER for token in rest)
    return ParsedReply(keyword, more=more)
