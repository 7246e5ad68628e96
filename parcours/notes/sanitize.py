"""The note body: a small safe subset of HTML (nh3), and its plain text for search."""

from __future__ import annotations

import html
import re

import nh3

from parcours.rules.text import search_document

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
BLOCK_END = ("</p>", "</li>", "<br>", "</ul>", "</ol>")
LOOKS_LIKE_HTML = re.compile(r"</?[A-Za-z!]")


def clean_body(raw: str) -> str:
    """Safe HTML for a note. Plain text (no tag) becomes paragraphs; HTML keeps only the allowed
    tags, no attribute at all, and no script/style content."""
    raw = (raw or "").replace("\r\n", "\n").strip()
    if not LOOKS_LIKE_HTML.search(raw):
        paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
        return "".join(
            "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
            for p in paragraphs
        )
    return nh3.clean(raw, tags=ALLOWED_TAGS, attributes={}, strip_comments=True).strip()


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
    """What the edit form shows: plain paragraphs when the note has no other formatting than
    paragraphs and line breaks (clean_body turns them back into the same HTML), the HTML else."""
    rest = body_html.replace("<p>", "").replace("</p>", "").replace("<br>", "")
    if "<" in rest or not body_html.startswith("<p>"):
        return body_html
    paragraphs = body_html.replace("</p>", "").split("<p>")
    return "\n\n".join(
        html.unescape(p.replace("<br>", "\n")).strip() for p in paragraphs if p.strip()
    )


def body_fields(raw: str) -> dict[str, str]:
    """A note's three stored texts from what was typed: the sanitised HTML, its plain text and
    the search keys of that text (rules.text)."""
    body_html = clean_body(raw)
    text = plain_text(body_html)
    return {"body_html": body_html, "body_text": text, "search_text": search_document(text)}
