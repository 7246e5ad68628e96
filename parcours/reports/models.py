"""Rapports au juge: a report, its history, and its frozen files once transmitted."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import choice, nullable_link, optional_date, optional_link
from parcours.core.models import CaseRecord
from parcours.rules import reports as rules
from parcours.rules.reports import ReportStatus
from parcours.rules.vocabulary import ReportKind


class Report(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="reports")
    measure = optional_link(
        "measures.Measure", "mesure", related_name="reports", on_delete=models.PROTECT
    )
    kind = choice("type de rapport", ReportKind.choices, max_length=20)
    # The template version in force on the creation date (data/templates.json), and a copy of its
    # sections: a later version of the template never changes an existing report.
    template_version = models.CharField("version du modèle", max_length=10)
    sections = models.JSONField("rubriques", default=list, editable=False)
    content = models.JSONField("contenu", default=dict, blank=True)
    status = choice("statut", ReportStatus.choices, max_length=12, default=ReportStatus.BROUILLON)
    due_date = optional_date("à rendre le")
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="rédacteur"
    )
    content_updated_at = models.DateTimeField("dernière modification du texte", null=True)
    content_updated_by = nullable_link("accounts.User", on_delete=models.PROTECT)
    validated_by = nullable_link("accounts.User", on_delete=models.PROTECT)
    validated_at = models.DateTimeField(null=True, blank=True)
    transmitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField("décision", blank=True, max_length=4000)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Frozen on transmission: files under MEDIA_ROOT/rapports/, never served but by the view.
    pdf_path = models.CharField(max_length=200, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    docx_path = models.CharField(max_length=200, blank=True, editable=False)
    docx_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "rapport"
        indexes = [
            models.Index(fields=["person", "-created_at"], name="report_person_idx"),
            models.Index(fields=["status", "due_date"], name="report_status_due_idx"),
            models.Index(fields=["author", "status"], name="report_author_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_frozen(self) -> bool:
        return self.status in rules.FROZEN_STATUSES

    @property
    def reference(self) -> str:
        return f"RAP-{str(self.public_id)[:8].upper()}"

    @property
    def section_keys(self) -> list[str]:
        return [s["key"] for s in self.sections]

    @property
    def content_updated_iso(self) -> str:
        """When the text was last saved (ISO 8601), for the editor's script."""
        at = self.content_updated_at
        return at.isoformat() if at else ""


class ReportEvent(models.Model):
    """One step of a report's history: creation, each transition, with who, when, comment."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "étape d'un rapport"

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%d/%m/%Y})"

    @property
    def action_label(self) -> str:
        if self.action == "creation":
            return "Création"
        return rules.ACTION_LABELS.get(self.action, self.action)
