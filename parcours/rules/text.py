"""French full-text normalisation for note search: pure functions, no Django.

One key per word: lower case, French Snowball stem, accents removed, then a light plural/feminine
trim ("emplois" → "emploi", "hébergées" → "heberg"). Documents and queries go through the same
function, so "hébergé", "hebergement" and "hébergements" all meet on "heberg", whatever the
database (SQLite FTS5 or PostgreSQL tsvector index the keys, see docs/adr/0005-note-search.md).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Words too common to narrow a search (after accent folding); one-letter words are dropped too.
_STOPWORDS_TEXT = """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous est sont ete etre avoir cette cet
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_stemmer = snowballstemmer.stemmer("french")


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The search key of one word ("" when the word is not worth indexing)."""
    lowered = word.lower()
    if len(lowered) < 2 or unaccent(lowered) in STOPWORDS:
        return ""
    key = unaccent(_stemmer.stemWord(lowered))
    if len(key) > 4 and key[-1] in "sx":
        key = key[:-1]
    if len(key) > 4 and key[-1] == "e":
        key = key[:-1]
    return key


def search_keys(text: str) -> list[str]:
    """The keys of a text, in order, repeats kept."""
    return [k for k in (word_key(w) for w in WORD.findall(text or "")) if k]


def search_document(text: str) -> str:
    """What is stored and indexed for a note: its keys separated by spaces."""
    return " ".join(search_keys(text))


def query_keys(query: str, limit: int = 12) -> list[str]:
    """The distinct keys of a query, in order, at most `limit` of them."""
    keys: list[str] = []
    for key in search_keys(query):
        if key not in keys:
            keys.append(key)
    return keys[:limit]


def highlight(text: str, keys: list[str], width: int = 240) -> str:
    """An HTML excerpt of `text` around the first word matching `keys`, with the matching words in
    <mark>. Every piece of the text is escaped before the marks are added."""
    text = " ".join((text or "").split())
    wanted = set(keys)
    matches = [m for m in WORD.finditer(text) if word_key(m.group()) in wanted]
    start = 0
    if matches:
        start = max(0, matches[0].start() - width // 4)
        # Start on a word boundary.
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < matches[0].start() else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts: list[str] = ["…"] if start else []
    cursor = start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        parts.append(html.escape(text[cursor : m.start()]))
        parts.append(f"<mark>{html.escape(m.group())}</mark>")
        cursor = m.end()
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)
