"""Verb-first services for reports: each runs in one transaction with its audit event.

The rules (who may do what, in which status) are in `parcours.rules.reports`; these functions
enforce them and refuse with `ReportRefused` (a French message), or `Refused` for a text the
rules do not accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import update_if_version
from parcours.documents import build_docx, build_pdf
from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.rules import reports as rules

from . import storage
from .access import actor_for
from .document import report_document
from .headings import shown_sections
from .models import Report, ReportEvent
from .prefill import PrefillContext, prefill_content
from .templates_data import template_for


class ReportRefused(Refused):
    """The action is not allowed (status, role, frozen report); the message is French."""


class ReportIncomplete(ReportRefused):
    """The report lacks what the action needs (its avis to the magistrate): the writer can
    complete it; the message is French and names the section."""


def _audit(
    action: AuditAction,
    report: Report,
    user: User,
    **details: Any,
) -> None:
    record(
        action,
        actor=user,
        obj=report,
        object_type="report",
        person=report.person,
        details={"type": report.kind, **details},
    )


def create_report(
    *,
    acting_user: User,
    person: Person,
    kind: str,
    measure: Measure | None = None,
    due_date: date | None = None,
    today: date | None = None,
    author: User | None = None,
) -> Report:
    """A new draft, on the template version in force today, prefilled from the file. `author`
    (the rédacteur) defaults to the acting user; the encadrement may open a draft for the CPIP
    who will write it (the CAP's avis): the journal still names the acting user."""
    today = today or timezone.localdate()
    if measure is not None and measure.person_id != person.pk:
        raise ReportRefused("Cette mesure ne concerne pas cette personne.")
    try:
        template = template_for(kind, today)
    except ValueError as unknown:
        raise ReportRefused(str(unknown)) from None
    sections = list(template["sections"])
    content = prefill_content(sections, PrefillContext(person, measure, today))
    with transaction.atomic():
        report = Report.objects.create(
            person=person,
            measure=measure,
            kind=kind,
            template_version=str(template["effective_from"]),
            sections=sections,
            content=content,
            due_date=due_date,
            author=author or acting_user,
            content_updated_at=timezone.now(),
            content_updated_by=acting_user,
        )
        ReportEvent.objects.create(
            report=report, action="creation", to_status=report.status, actor=acting_user
        )
        _audit(
            AuditAction.CREATION,
            report,
            acting_user,
            transition="creation",
            modele=report.template_version,
        )
    return report


def save_content(
    *,
    acting_user: User,
    report: Report,
    content: dict[str, str],
    expected_version: int,
) -> Report:
    """Writes the text of some sections (the others are kept) if nobody saved since
    `expected_version`; else ConflictError, unless the texts sent are the whole report and the
    server already holds exactly them (a save sent again, e.g. the one a closing tab sent and
    the copy it kept in the browser): then nothing is written and the current version is
    returned. A part of the report is not enough: its sender has not seen the other sections
    since, and would then overwrite them at its next save. ReportRefused on a report that is
    not a draft, Refused for unknown sections or texts too long."""
    problems = rules.content_problems(content, report.section_keys)
    if problems:
        raise Refused(" ".join(problems))
    with transaction.atomic():
        current = (
            Report.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=report.pk)
        )
        current.person = report.person
        reason = rules.refusal(current.status, rules.MODIFIER, actor_for(acting_user, current))
        if reason:
            raise ReportRefused(reason)
        if current.version != expected_version:
            whole = {key: current.content.get(key, "") for key in current.section_keys}
            if content == whole:
                return current  # the server's own texts: nothing to overwrite, nothing lost
            raise ConflictError()
        merged = {**current.content, **content}
        changed = sorted(k for k in content if current.content.get(k) != content[k])
        now = timezone.now()
        update_if_version(
            Report.objects.filter(pk=current.pk, status=rules.BROUILLON),
            expected_version,
            content=merged,
            content_updated_at=now,
            content_updated_by=acting_user,
            updated_at=now,
        )
        if changed:
            _audit(AuditAction.MODIFICATION, current, acting_user, rubriques=changed)
    current.refresh_from_db()
    current.person = report.person
    return current


def _freeze(report: Report, now: Any) -> list[str]:
    """Builds and stores the transmitted DOCX and PDF; returns the written paths."""
    document = report_document(report, when=now, final=True)
    written = []
    try:
        pdf = build_pdf(document)
        docx = build_docx(document)
        report.pdf_path = storage.write(pdf, "pdf")
        written.append(report.pdf_path)
        report.docx_path = storage.write(docx, "docx")
        written.append(report.docx_path)
    except Exception:
        for path in written:
            storage.remove(path)
        raise
    report.pdf_sha256 = storage.sha256(pdf)
    report.docx_sha256 = storage.sha256(docx)
    return written


def apply_action(
    *,
    acting_user: User,
    report: Report,
    action: str,
    comment: str = "",
    expected_version: int | None = None,
) -> Report:
    """One workflow transition (rules.reports.TRANSITIONS), with its history line and audit."""
    if action == rules.MODIFIER or action not in rules.ACTIONS:
        raise ReportRefused("Action inconnue.")
    comment = (comment or "").strip()
    if action in rules.COMMENT_REQUIRED and not comment:
        raise ReportRefused(
            "Indiquez un commentaire."
            if action == rules.RENVOYER
            else "Indiquez la décision prise."
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            current = (
                Report.objects.select_for_update(of=("self",))
                .select_related("person", "author", "validated_by")
                .get(pk=report.pk)
            )
            current.person = report.person
            current.measure = report.measure
            reason = rules.refusal(current.status, action, actor_for(acting_user, current))
            if reason:
                raise ReportRefused(reason)
            if expected_version is not None and current.version != expected_version:
                raise ConflictError()
            missing = rules.avis_problem(
                current.kind, action, shown_sections(current), current.content
            )
            if missing:
                raise ReportIncomplete(missing)
            if action == rules.TRANSMETTRE and (
                current.measure is None or not current.measure.tribunal_id
            ):
                raise ReportRefused(
                    "Rattachez le rapport à une mesure dont la juridiction est connue avant de le "
                    "transmettre."
                )
            before = current.status
            now = timezone.now()
            if action == rules.VALIDER:
                current.validated_by, current.validated_at = acting_user, now
            elif action == rules.RENVOYER:
                current.validated_by, current.validated_at = None, None
            elif action == rules.TRANSMETTRE:
                current.transmitted_at = now
                written = _freeze(current, now)
            elif action == rules.ACCUSER_RECEPTION:
                current.received_at = now
            elif action == rules.ENREGISTRER_DECISION:
                current.decision, current.decided_at = comment[:4000], now
            current.status = rules.next_status(before, action)
            current.version += 1
            current.save()
            ReportEvent.objects.create(
                report=current,
                action=action,
                from_status=before,
                to_status=current.status,
                actor=acting_user,
                comment=comment[:4000],
            )
            details: dict[str, Any] = {"transition": action, "de": before, "vers": current.status}
            if action == rules.TRANSMETTRE:
                details.update(
                    destinataire=str(current.measure.tribunal)
                    if current.measure is not None and current.measure.tribunal_id
                    else "",
                    pdf_sha256=current.pdf_sha256,
                    docx_sha256=current.docx_sha256,
                )
            audit_action = (
                AuditAction.EXPORT if action == rules.TRANSMETTRE else AuditAction.MODIFICATION
            )
            _audit(audit_action, current, acting_user, **details)
    except Exception:
        for path in written:
            storage.remove(path)
        raise
    return current


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class ReportFile:
    name: str
    content_type: str
    path: Path | None = None  # the frozen file of a transmitted report
    data: bytes = b""  # a draft, built now


def report_file(*, acting_user: User, report: Report, motif: str, kind: str) -> ReportFile:
    """The report as `kind` ("pdf" or "docx"): the file frozen at transmission (a consultation
    of it), else a draft built now, named "PROJET-…" (an export); journaled with its SHA-256."""
    name = f"{report.reference}-{report.kind}.{kind}"
    if report.is_frozen:
        path = storage.resolve(report.pdf_path if kind == "pdf" else report.docx_path)
        digest = report.pdf_sha256 if kind == "pdf" else report.docx_sha256
        file = ReportFile(name, CONTENT_TYPES[kind], path=path)
    else:
        document = report_document(report)
        data = build_pdf(document) if kind == "pdf" else build_docx(document)
        digest = storage.sha256(data)
        file = ReportFile(f"PROJET-{name}", CONTENT_TYPES[kind], data=data)
    draft = file.path is None
    record(
        AuditAction.EXPORT if draft else AuditAction.CONSULTATION,
        actor=acting_user,
        obj=report,
        object_type="report",
        person=report.person,
        motif=motif,
        details={"fichier": file.name, "format": kind, "sha256": digest, "projet": draft},
    )
    return file
