"""Structured assessments (issue 17): the questionnaire versions, an assessment of a person
(answers per question, the person's view and the CPIP's judgement per domain), and the
digital-skills self-assessment. No score is computed or stored (ADR 0021)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import models

from parcours.core import fields
from parcours.core.models import CaseEntry, CaseRecord, named_by_date
from parcours.rules import assessments as rules
from parcours.rules.vocabulary import (
    AssessmentKind,
    AssessmentStatus,
    DigitalChannel,
)


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire file (definitions.sync_questionnaires): never rewritten."""

    code = models.CharField("questionnaire", max_length=40)
    # The file's "version" (a text such as "2026-01"; `version` is the locking counter of
    # CaseRecord in this project).
    edition = models.CharField("version", max_length=20)
    effective_from = models.DateField("en vigueur à partir du")
    title = models.CharField("titre", max_length=200)
    content = models.JSONField("définition")
    checksum = models.CharField("empreinte SHA-256", max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "version de questionnaire"
        constraints = [
            models.UniqueConstraint(fields=["code", "edition"], name="questionnaire_version_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.edition})"

    @cached_property
    def definition(self) -> rules.Questionnaire:
        return rules.parse_questionnaire(self.content, f"{self.code}-{self.edition}")


class Assessment(CaseRecord):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="assessments"
    )
    measure = fields.optional_link("measures.Measure", "mesure", related_name="assessments")
    kind = fields.choice("type d'évaluation", AssessmentKind.choices, max_length=20)
    questionnaire = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="+"
    )
    status = fields.choice(
        "état", AssessmentStatus.choices, max_length=12, default=AssessmentStatus.BROUILLON
    )
    due_on = fields.optional_date("à faire pour le")
    completed_on = fields.optional_date("terminée le")
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="évaluateur"
    )
    # Question id → answer (rules.assessments.clean_answers).
    answers = models.JSONField("réponses", default=dict, blank=True)
    # Domain code → {person_view, person_level, need, strengths, reasons}.
    judgements = models.JSONField("appréciations par domaine", default=dict, blank=True)
    # Question ids whose prefilled suggestion the CPIP has not confirmed or changed yet.
    unconfirmed = models.JSONField("suggestions à confirmer", default=list, blank=True)
    content_updated_at = models.DateTimeField(null=True, blank=True)
    content_updated_by = fields.author()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "évaluation"
        indexes = [
            models.Index(fields=["person", "status", "-completed_on"], name="assess_person_idx"),
            models.Index(fields=["kind", "status", "due_on"], name="assess_kind_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status == AssessmentStatus.TERMINEE

    @property
    def definition(self) -> rules.Questionnaire:
        return self.questionnaire.definition

    def judgement(self, domain: str) -> dict[str, Any]:
        return dict(self.judgements.get(domain, {}))


class DigitalSelfAssessment(CaseEntry):
    """The person's own answers to the digital-skills questionnaire (paper transcribed by the
    SPIP, or their personal space), and the plan steps they suggested then."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="digital_self_assessments"
    )
    questionnaire = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField("réponses", default=dict)
    channel = fields.choice("canal", DigitalChannel.choices, max_length=20)
    filled_on = models.DateField("rempli le")
    suggestions = models.JSONField("étapes suggérées", default=list)
    recorded_by = fields.author()

    class Meta:
        ordering = ["-filled_on", "-pk"]
        verbose_name = "autoévaluation numérique"
        indexes = [models.Index(fields=["person", "-filled_on"], name="digital_person_idx")]

    __str__ = named_by_date("Autoévaluation numérique", "filled_on")

    @property
    def definition(self) -> rules.Questionnaire:
        return self.questionnaire.definition
