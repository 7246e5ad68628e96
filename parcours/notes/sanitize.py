"""The note body: a small safe subset of HTML (nh3), and its plain text for search."""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
BLOCK_END = ("</p>", "</li>", "<br>", "</ul>", "</ol>")


def clean_body(raw: str) -> str:
    """Safe HTML for a note. Plain text (no tag) becomes paragraphs; HTML keeps only the allowed
    tags, no attribute at all, and no script/style content."""
    raw = (raw or "").replace("\r\n", "\n").strip()
    if "<" not in raw:
        paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
        return "".join(
            "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
            for p in paragraphs
        )
    return nh3.clean(raw, tags=ALLOWED_TAGS, attributes={}, strip_comments=True).strip()


def plain_text(body_html: str) -> str:
    """The text of sanitised HTML, one line per block."""
    spaced = body_html
    for end in BLOCK_END:
        spaced = spaced.replace(end, end + "\n")
    text = html.unescape(nh3.clean(spaced, tags=set(), attributes={}))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
