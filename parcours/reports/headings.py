"""Section headings as the reader sees them. A template heading may carry plural marks
("Mesure(s) suivie(s)"): they agree with what the report is about — one measure when the report
is attached to one, else the measures listed in the section ("- " lines, as the prefill writes
them). Stored reports keep their template's headings; only the display agrees."""

from __future__ import annotations

from typing import Any

from parcours.rules.french import resolve_plural_marks

from .models import Report


def _listed(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.lstrip().startswith("- "))


def section_heading(report: Report, section: dict[str, Any]) -> str:
    heading = str(section["heading"])
    if "(" not in heading:
        return heading
    text = str(report.content.get(section["key"], "") or "")
    count = 1 if report.measure_id is not None else _listed(text)
    return resolve_plural_marks(heading, count)


def shown_sections(report: Report) -> list[dict[str, Any]]:
    """The report's sections with the heading the reader sees."""
    return [{**s, "heading": section_heading(report, s)} for s in report.sections]
