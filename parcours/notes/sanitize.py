"""The note body: a small safe subset of HTML (nh3), and its plain text for search."""

from __future__ import annotations

import html
import re

import nh3

from parcours.rules.text import html_to_markup, markup_to_html, search_document

# The longest note, in characters as typed: a line break is one character, as the browser counts
# it for the field's maxlength (it sends it as CR LF).
BODY_MAX = 20_000
BODY_TOO_LONG = "Le texte de la note dépasse {limit} caractères : raccourcissez-le."

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
BLOCK_END = ("</p>", "</li>", "<br>", "</ul>", "</ol>")
LOOKS_LIKE_HTML = re.compile(r"</?[A-Za-z!]")


def typed_length(raw: str) -> int:
    """The length of a note's text as the browser counts it (one character per line break)."""
    return len(raw.replace("\r\n", "\n"))


def body_problem(raw: str) -> str | None:
    """The French reason why the text cannot be a note's body (too long), else None."""
    if typed_length(raw) > BODY_MAX:
        return BODY_TOO_LONG.format(limit=f"{BODY_MAX:,}".replace(",", "\u202f"))
    return None


def clean_body(raw: str) -> str:
    """Safe HTML for a note. Typed text (no tag) is the light markup of rules.text (escaped first,
    then paragraphs, line breaks, **gras**, *italique*, "- " lists), cleaned again by nh3; HTML
    (pasted, or a note whose formatting the markup cannot say) keeps only the allowed tags, no
    attribute at all, and no script/style content."""
    raw = (raw or "").replace("\r\n", "\n").strip()
    raw = _typed_html(raw) if LOOKS_LIKE_HTML.search(raw) else markup_to_html(raw)
    return nh3.clean(raw, tags=ALLOWED_TAGS, attributes={}, strip_comments=True).strip()


# Tags typed by hand that say what an allowed tag says (kept, under the allowed name).
SYNONYMS = (
    (re.compile(r"<(/?)b\b", re.I), r"<\1strong"),
    (re.compile(r"<(/?)i\b", re.I), r"<\1em"),
)
BLOCK_TAG = re.compile(r"<\s*/?\s*(p|br|ul|ol|li|div)\b", re.I)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _typed_html(raw: str) -> str:
    """HTML typed in the text area ("Voir <b>attestation</b>" then a paragraph): <b> and <i> kept
    as <strong> and <em>; without any block tag, the line breaks and blank lines typed stay
    line breaks and paragraphs (HTML would merge them into one line)."""
    for pattern, replacement in SYNONYMS:
        raw = pattern.sub(replacement, raw)
    if BLOCK_TAG.search(raw):
        return raw
    paragraphs = (part.strip() for part in PARAGRAPH_BREAK.split(raw))
    return "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs if part)


def safe_html(body_html: str) -> str:
    """Stored note HTML cleaned again for display (defence in depth: it was cleaned when saved)."""
    return nh3.clean(body_html, tags=ALLOWED_TAGS, attributes={}, strip_comments=True)


def plain_text(body_html: str) -> str:
    """The text of sanitised HTML, one line per block."""
    spaced = body_html
    for end in BLOCK_END:
        spaced = spaced.replace(end, end + "\n")
    text = html.unescape(nh3.clean(spaced, tags=set(), attributes={}))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def editable_text(body_html: str) -> str:
    """What the edit form shows: the light markup when it gives back exactly the stored HTML
    (clean_body turns it into the same note), the HTML else."""
    markup = html_to_markup(body_html)
    if markup is None or LOOKS_LIKE_HTML.search(markup):
        return body_html
    return markup


def body_fields(raw: str) -> dict[str, str]:
    """A note's three stored texts from what was typed: the sanitised HTML, its plain text and
    the search keys of that text (rules.text)."""
    body_html = clean_body(raw)
    text = plain_text(body_html)
    return {"body_html": body_html, "body_text": text, "search_text": search_document(text)}
