"""Builders for reports in any status (synthetic data only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parcours.reports import services, storage
from parcours.reports.models import Report, ReportEvent
from parcours.rules import reports as rules

# What the writer proposes to the magistrate: a report goes to validation and to the judge only
# with it (rules.reports.avis_problem).
AVIS = "Maintien de la mesure proposé."


def draft_report(
    person: Any,
    author: Any = None,
    kind: str = "situation",
    *,
    avis: str = AVIS,
    **fields: Any,
) -> Report:
    """A draft created by the service (template in force today, prefilled), its avis to the
    magistrate written (`avis`; "" leaves it empty)."""
    author = author or person.referent
    measure = fields.pop("measure", person.measures.order_by("pk").first())
    report = services.create_report(
        acting_user=author, person=person, kind=kind, measure=measure, **fields
    )
    keys = rules.avis_sections(report.kind, report.section_keys)
    if keys:
        Report.objects.filter(pk=report.pk).update(
            content={**report.content, **dict.fromkeys(keys, avis)}
        )
    return Report.objects.select_related("person__spip", "person__antenna").get(pk=report.pk)


def report_in(
    person: Any,
    status: str,
    author: Any = None,
    *,
    kind: str = "situation",
    avis: str = AVIS,
    **fields: Any,
) -> Report:
    """A report put directly in `status` (frozen files are small stand-ins, not real renders)."""
    report = draft_report(person, author, kind, avis=avis)
    values: dict[str, Any] = {"status": status, **fields}
    if status in rules.FROZEN_STATUSES:
        pdf, docx = b"%PDF-1.4 stand-in", b"PK stand-in docx"
        values.update(
            pdf_path=storage.write(pdf, "pdf"),
            pdf_sha256=storage.sha256(pdf),
            docx_path=storage.write(docx, "docx"),
            docx_sha256=storage.sha256(docx),
            transmitted_at=timezone.now(),
        )
    Report.objects.filter(pk=report.pk).update(**values)
    ReportEvent.objects.create(
        report=report,
        action="test",
        from_status=rules.BROUILLON,
        to_status=status,
        actor=report.author,
    )
    return Report.objects.select_related("person__spip", "person__antenna").get(pk=report.pk)


def first_report(person: Any, status: str) -> Report:
    found = Report.objects.filter(person=person, status=status).order_by("pk").first()
    return found or report_in(person, status)
