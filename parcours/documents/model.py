"""The document structure shared by every output format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class KeyValues:
    """A two-column table of labels and values."""

    rows: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


Block = Paragraph | KeyValues | Bullets


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: Sequence[Block]


@dataclass(frozen=True)
class Header:
    """The issuing service's block, top left: ministry lines, service name, address, phone."""

    service: str
    lines: Sequence[str] = ()  # antenna, address…
    phone: str = ""
    authority: Sequence[str] = (
        "Ministère de la Justice",
        "Direction de l'administration pénitentiaire",
    )


@dataclass(frozen=True)
class Document:
    header: Header
    title: str
    date_line: str = ""
    references: Sequence[str] = ()  # "Réf. : …" lines, printed as given
    addressee: Sequence[str] = ()  # top right block ("à Madame le juge…")
    sections: Sequence[Section] = ()
    signature: Sequence[str] = ()
    footer: str = ""
    watermark: str = ""  # e.g. "PROJET" on a draft
    metadata: dict[str, str] = field(default_factory=dict)  # author, subject (file properties)


def text_blocks(text: str) -> list[Block]:
    """Free text as blocks: paragraphs split on blank lines; runs of lines starting with "- " or
    "• " become a bullet list."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(Paragraph("\n".join(paragraph)))
            paragraph.clear()

    def flush_bullets() -> None:
        if bullets:
            blocks.append(Bullets(list(bullets)))
            bullets.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        stripped = line.lstrip()
        if not stripped:
            flush_paragraph()
            flush_bullets()
        elif stripped.startswith(("- ", "• ")):
            flush_paragraph()
            bullets.append(stripped[2:].strip())
        else:
            flush_bullets()
            paragraph.append(line)
    flush_paragraph()
    flush_bullets()
    return blocks
