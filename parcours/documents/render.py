"""Rendering of a `Document` to DOCX (python-docx) and to PDF (WeasyPrint, print CSS).

Neither renderer touches the network: the PDF's URL fetcher refuses every URL (the template
embeds its CSS and uses only system fonts)."""

from __future__ import annotations

import io
import re
from typing import Any, NoReturn

from django.template.loader import render_to_string
from docx import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .model import Bullets, Document, KeyValues, Paragraph

# Characters XML 1.0 (DOCX) cannot hold, and that a PDF would show as boxes.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text or "")


# --- DOCX -----------------------------------------------------------------------------------------


def _field_run(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in its own run, updated by Word when the file is opened."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def build_docx(doc: Document) -> bytes:
    out = Docx()
    section = out.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = out.styles["Normal"]
    normal.font.name = "Marianne"
    normal.font.size = Pt(10.5)
    props = out.core_properties
    props.title = clean(doc.title)[:255]
    props.author = clean(doc.metadata.get("author", ""))[:255]
    props.subject = clean(doc.metadata.get("subject", ""))[:255]
    props.language = "fr-FR"

    # Header block (issuing service), then the date and addressee on the right.
    for i, line in enumerate([*doc.header.authority, doc.header.service, *doc.header.lines]):
        p = out.add_paragraph()
        run = p.add_run(clean(line))
        run.bold = i < len(doc.header.authority) + 1
        p.paragraph_format.space_after = Pt(0)
    if doc.header.phone:
        p = out.add_paragraph(clean(f"Tél. : {doc.header.phone}"))
        p.paragraph_format.space_after = Pt(0)
    for line in doc.references:
        p = out.add_paragraph(clean(line))
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(6) if line is doc.references[0] else Pt(0)
    for line in doc.addressee:
        p = out.add_paragraph(clean(line))
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(0)
    if doc.date_line:
        p = out.add_paragraph(clean(doc.date_line))
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_before = Pt(12)
    if doc.watermark:
        p = out.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(clean(doc.watermark))
        run.bold = True
    title = out.add_heading(clean(doc.title), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for part in doc.sections:
        out.add_heading(clean(part.heading), level=1)
        for block in part.blocks:
            if isinstance(block, Paragraph):
                for line_no, line in enumerate(clean(block.text).split("\n")):
                    if line_no == 0:
                        p = out.add_paragraph(line)
                    else:
                        p.add_run().add_break()
                        p.add_run(line)
            elif isinstance(block, Bullets):
                for item in block.items:
                    out.add_paragraph(clean(item), style="List Bullet")
            elif isinstance(block, KeyValues):
                table = out.add_table(rows=0, cols=2)
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                for label, value in block.rows:
                    cells = table.add_row().cells
                    cells[0].text = clean(label)
                    cells[1].text = clean(value)
                    for run in cells[0].paragraphs[0].runs:
                        run.bold = True
                out.add_paragraph()

    if doc.signature:
        for i, line in enumerate(doc.signature):
            p = out.add_paragraph(clean(line))
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.space_after = Pt(0)
            if i == 0:
                p.paragraph_format.space_before = Pt(24)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc.footer:
        footer.add_run(clean(doc.footer) + " — ")
    footer.add_run("Page ")
    _field_run(footer, "PAGE")
    footer.add_run(" / ")
    _field_run(footer, "NUMPAGES")

    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------------


class ExternalResourceRefused(Exception):
    pass


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """WeasyPrint's URL fetcher: documents load nothing (no network, no local file)."""
    raise ExternalResourceRefused(f"Ressource externe refusée : {url[:100]}")


def document_html(doc: Document) -> str:
    def block_kind(block: object) -> str:
        if isinstance(block, Paragraph):
            return "paragraph"
        if isinstance(block, Bullets):
            return "bullets"
        return "table"

    sections = [
        {
            "heading": clean(part.heading),
            "blocks": [
                {
                    "kind": block_kind(block),
                    "lines": clean(block.text).split("\n") if isinstance(block, Paragraph) else [],
                    "items": [clean(i) for i in block.items] if isinstance(block, Bullets) else [],
                    "rows": [(clean(k), clean(v)) for k, v in block.rows]
                    if isinstance(block, KeyValues)
                    else [],
                }
                for block in part.blocks
            ],
        }
        for part in doc.sections
    ]
    return render_to_string(
        "documents/document.html",
        {
            "doc": doc,
            "header_lines": [clean(x) for x in doc.header.lines],
            "sections": sections,
            "footer": clean(doc.footer),
        },
    )


def build_pdf(doc: Document) -> bytes:
    # Imported here on purpose: WeasyPrint takes 1.2 s to import (measured with
    # `python -X importtime -c "import weasyprint"`, best of 8), as long as Django's own start and
    # URL loading; every process loading the URLs (each test worker, each gunicorn worker, each
    # management command) would pay it, though few requests build a PDF.
    from weasyprint import HTML

    html = document_html(doc)
    pdf = HTML(string=html, url_fetcher=refuse_fetch, base_url="about:blank").write_pdf()
    assert pdf is not None
    return bytes(pdf)
