"""One document structure, rendered to DOCX (python-docx) and PDF (WeasyPrint).

    doc = Document(header=Header(...), references=[...], title="…", date_line="Lille, le …",
                   sections=[Section("Situation", [Paragraph("…"), KeyValues([("Nom", "…")])])],
                   signature=["La conseillère", "Camille Martin"])
    build_docx(doc) -> bytes ; build_pdf(doc) -> bytes

Used by the reports to the judge; reusable for letters (convocations…).
"""

from .dates import date_line, french_date
from .model import Block, Bullets, Document, Header, KeyValues, Paragraph, Section, text_blocks
from .render import build_docx, build_pdf

__all__ = [
    "Block",
    "Bullets",
    "Document",
    "Header",
    "KeyValues",
    "Paragraph",
    "Section",
    "build_docx",
    "build_pdf",
    "date_line",
    "french_date",
    "text_blocks",
]
