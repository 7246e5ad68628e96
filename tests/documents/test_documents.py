"""The document structure rendered to DOCX (read back with python-docx) and PDF (pypdf)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from parcours.documents import (
    Bullets,
    Document,
    Header,
    KeyValues,
    Paragraph,
    Section,
    build_docx,
    build_pdf,
    date_line,
    french_date,
    text_blocks,
)
from parcours.documents.render import ExternalResourceRefused, refuse_fetch


def sample(sections: int = 1) -> Document:
    body = [
        Section(
            f"Situation {i + 1}",
            [
                KeyValues([("Nom", "DURAND Lucas"), ("Mesure", "Sursis probatoire")]),
                Paragraph("Première ligne\nseconde ligne"),
                Bullets(["Emploi stable", "Soins suivis"]),
            ],
        )
        for i in range(sections)
    ]
    return Document(
        header=Header("SPIP du Nord", ["Antenne de Lille"], phone="03 20 00 00 00"),
        title="Rapport de situation",
        date_line=date_line("Lille", date(2026, 11, 27)),
        references=["Réf. : RAP-TEST"],
        sections=body,
        signature=["Camille Martin", "CPIP"],
        footer="SPIP du Nord — confidentiel",
    )


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_french_dates_in_the_service_time_zone() -> None:
    assert french_date(date(2026, 11, 27)) == "27 novembre 2026"
    assert french_date(date(2026, 2, 1)) == "1er février 2026"
    # 22:30 UTC on 27 November is already the 28th in La Réunion (UTC+4), still the 27th in Paris.
    late = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    assert french_date(late, "Europe/Paris") == "27 novembre 2026"
    assert french_date(late, "Indian/Reunion") == "28 novembre 2026"
    assert date_line("Saint-Denis", late, "Indian/Reunion") == "Saint-Denis, le 28 novembre 2026"
    with pytest.raises(ValueError):
        french_date(datetime(2026, 1, 1, 12, 0))


def test_text_blocks() -> None:
    blocks = text_blocks("Intro\nsuite\n\n- un\n- deux\nFin")
    assert blocks == [Paragraph("Intro\nsuite"), Bullets(["un", "deux"]), Paragraph("Fin")]
    assert text_blocks("") == []


def test_docx_has_the_header_sections_and_page_fields() -> None:
    data = build_docx(sample())
    text = docx_text(data)
    for expected in (
        "Ministère de la Justice",
        "SPIP du Nord",
        "Antenne de Lille",
        "Tél. : 03 20 00 00 00",
        "Réf. : RAP-TEST",
        "Lille, le 27 novembre 2026",
        "Rapport de situation",
        "Situation 1",
        "Nom | DURAND Lucas",
        "Emploi stable",
        "Camille Martin",
    ):
        assert expected in text, expected
    doc = Docx(io.BytesIO(data))
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert doc.core_properties.language == "fr-FR"


def test_pdf_has_the_header_sections_and_page_numbers() -> None:
    pages, text = pdf_text(build_pdf(sample(sections=12)))
    assert pages >= 2
    for expected in (
        "SPIP du Nord",
        "Réf. : RAP-TEST",
        "Lille, le 27 novembre 2026",
        "Rapport de situation",
        "DURAND Lucas",
        "Situation 12",
        "SPIP du Nord — confidentiel",
    ):
        assert expected in text, expected
    assert f"Page 1 / {pages}" in text
    assert f"Page {pages} / {pages}" in text


def test_control_characters_do_not_break_either_format() -> None:
    doc = Document(
        header=Header("SPIP"),
        title="Titre\x00\x07",
        sections=[Section("Rubrique\x0b", [Paragraph("Texte\x01 avec <b>balises</b> & co")])],
    )
    assert "balises</b>" in docx_text(build_docx(doc))
    _, text = pdf_text(build_pdf(doc))
    assert "<b>balises</b> & co" in text


def test_rendering_never_fetches_anything() -> None:
    with pytest.raises(ExternalResourceRefused):
        refuse_fetch("https://example.org/logo.png")
    doc = Document(
        header=Header("SPIP"),
        title="Titre",
        sections=[Section("R", [Paragraph('<img src="https://example.org/x.png">')])],
    )
    # The text is escaped: no image, no request; the PDF still renders.
    _, text = pdf_text(build_pdf(doc))
    assert re.search(r"<img", text)
