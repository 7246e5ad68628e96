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
from itertools import groupby

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


# --- Light markup for notes --------------------------------------------------------------------
# What a note's author can type (documented in the note form's help text):
#   a blank line starts a new paragraph, a single line break is kept,
#   **gras**, *italique*, and lines starting with "- " form a bulleted list.
# The text is escaped first; only then are the few markup tags added, so nothing typed can become
# HTML of its own. The notes app cleans the result again with nh3 (same allowed tags).

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_BULLET = re.compile(r"^\s*[-•]\s+(.*)$")


def _inline(line: str) -> str:
    escaped = html.escape(line, quote=False)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _ITALIC.sub(r"<em>\1</em>", escaped)


def markup_to_html(text: str) -> str:
    """HTML (p, br, strong, em, ul, li only) of a note typed in the light markup."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    out: list[str] = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        for is_item, group in groupby(lines, key=lambda line: bool(_BULLET.match(line))):
            if is_item:
                items = (_BULLET.sub(r"\1", line).strip() for line in group)
                out.append("<ul>" + "".join(f"<li>{_inline(x)}</li>" for x in items) + "</ul>")
            else:
                out.append("<p>" + "<br>".join(_inline(x) for x in group) + "</p>")
    return "".join(out)


_TAGS = re.compile(r"<(/?)(p|br|strong|em|ul|li)>")


def html_to_markup(body_html: str) -> str | None:
    """The light markup that `markup_to_html` turns back into exactly `body_html`, or None when
    the HTML holds anything the markup cannot say (then the editor shows the HTML itself)."""
    if re.search(r"<(?!/?(p|br|strong|em|ul|li)>)", body_html or ""):
        return None
    pieces: list[str] = []
    for token in re.split(r"(<[^>]+>)", body_html or ""):
        tag = _TAGS.fullmatch(token)
        if not tag:
            pieces.append(html.unescape(token))
            continue
        closing, name = tag.groups()
        pieces.append(
            {
                ("", "p"): "",
                ("/", "p"): "\n\n",
                ("", "br"): "\n",
                ("", "strong"): "**",
                ("/", "strong"): "**",
                ("", "em"): "*",
                ("/", "em"): "*",
                ("", "ul"): "",
                ("/", "ul"): "\n\n",
                ("", "li"): "- ",
                ("/", "li"): "\n",
            }.get((closing, name), "")
        )
    text = re.sub(r"\n{3,}", "\n\n", "".join(pieces)).strip()
    return text if markup_to_html(text) == body_html else None
