"""The individual plan (plan d'accompagnement): goals per assessment domain, steps with an actor
(the person, the CPIP, a partner), a due date and a status; the person's agreement; versions.

A person has at most one plan in force and one plan in preparation (brouillon, or agreed and
waiting for the DPIP's countersignature where the SPIP asks it). "Nouvelle version" copies the
plan in force into a draft; once the draft comes into force, the former plan is "remplacé" and
stays readable in the history. The plan in force is read-only but for the progress of its steps
(status, done date, reason): that progress is the plan's life, not a new version (ADR 0020)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q

from parcours.core.models import CaseRecord
from parcours.rules.vocabulary import (
    AgreementMode,
    AssessmentDomain,
    OrganisationKind,
    PlanStatus,
    StepActor,
    StepStatus,
)

OPEN_STEP_STATUSES = (StepStatus.A_FAIRE, StepStatus.EN_COURS)
PENDING_PLAN_STATUSES = (PlanStatus.BROUILLON, PlanStatus.A_CONTRESIGNER)


class PlanSettings(models.Model):
    """Per SPIP: whether a plan comes into force only once a DPIP has countersigned it."""

    spip = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="plan_settings",
        limit_choices_to={"kind": OrganisationKind.SPIP},
    )
    countersignature_required = models.BooleanField(
        "contresignature du DPIP requise", default=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = "paramètres des plans d'accompagnement"
        verbose_name_plural = "paramètres des plans d'accompagnement"

    def __str__(self) -> str:
        return f"Plans d'accompagnement ({self.spip})"


class Plan(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.SET_NULL,
        related_name="plans",
        null=True,
        blank=True,
        verbose_name="mesure",
    )
    number = models.PositiveIntegerField("version", editable=False)
    status = models.CharField(
        "état", max_length=16, choices=PlanStatus.choices, default=PlanStatus.BROUILLON
    )
    agreed_on = models.DateField("accord de la personne le", null=True, blank=True)
    agreement_mode = models.CharField(
        "modalité de l'accord", max_length=20, choices=AgreementMode.choices, blank=True
    )
    person_words = models.TextField("les mots de la personne", blank=True)
    countersigned_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    countersigned_at = models.DateTimeField("contresigné le", null=True, blank=True)
    in_force_on = models.DateField("en vigueur depuis le", null=True, blank=True)
    replaced_on = models.DateField("remplacé le", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = "plan d'accompagnement"
        verbose_name_plural = "plans d'accompagnement"
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="plan_person_number_uniq"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=PlanStatus.EN_VIGUEUR),
                name="plan_one_in_force",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=PENDING_PLAN_STATUSES),
                name="plan_one_pending",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="plan_status_idx")]

    def __str__(self) -> str:
        return f"Plan d'accompagnement (version {self.number})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.BROUILLON


class Goal(CaseRecord):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField("domaine", max_length=20, choices=AssessmentDomain.choices)
    text = models.CharField("objectif", max_length=300)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "objectif"

    def __str__(self) -> str:
        return self.text


class Step(CaseRecord):
    # Set by the pages (not stored): overdue today, and what other apps hang on the step (the
    # referral made from it: plans.selectors.attach_links).
    overdue: bool
    links: list[Any]

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField("étape", max_length=300)
    actor = models.CharField("qui agit", max_length=12, choices=StepActor.choices)
    # A partner organisation (a referral "Orienter" will hang on it: parcours/partners).
    partner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.PARTENAIRE},
        verbose_name="partenaire",
    )
    partner_detail = models.CharField(
        "précision (partenaire, interlocuteur)", max_length=200, blank=True
    )
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "état", max_length=12, choices=StepStatus.choices, default=StepStatus.A_FAIRE
    )
    reason = models.CharField("motif de l'abandon", max_length=300, blank=True)
    done_on = models.DateField("fait le", null=True, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "étape"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=StepStatus.ABANDONNE) | ~Q(reason=""),
                name="plan_step_abandon_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STEP_STATUSES

    def overdue_on(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    def actor_label(self) -> str:
        if self.actor == StepActor.PARTENAIRE:
            name = self.partner.name if self.partner_id and self.partner else ""
            detail = " — ".join(part for part in (name, self.partner_detail) if part)
            return f"Partenaire : {detail}" if detail else "Un partenaire"
        return StepActor(self.actor).label
