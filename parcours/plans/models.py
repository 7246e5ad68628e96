"""The individual plan (plan d'accompagnement): goals per assessment domain, steps with an actor
(the person, the CPIP, a partner), a due date and a status; the person's agreement; versions.

A person has at most one plan in force and one plan in preparation (brouillon, or agreed and
waiting for the DPIP's countersignature where the SPIP asks it). "Nouvelle version" copies the
plan in force into a draft; once the draft comes into force, the former plan is "remplacé" and
stays readable in the history. The plan in force is read-only but for the progress of its steps
(status, done date, reason): that progress is the plan's life, not a new version (ADR 0020)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q

from parcours.core.fields import (
    author,
    choice,
    filled_when,
    optional_date,
    optional_link,
    optional_text,
)
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
    updated_by = author()

    class Meta:
        verbose_name = "paramètres des plans d'accompagnement"
        verbose_name_plural = "paramètres des plans d'accompagnement"

    def __str__(self) -> str:
        return f"Plans d'accompagnement ({self.spip})"


class Plan(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    measure = optional_link("measures.Measure", "mesure", related_name="plans")
    number = models.PositiveIntegerField("version", editable=False)
    status = choice("état", PlanStatus.choices, max_length=16, default=PlanStatus.BROUILLON)
    agreed_on = optional_date("accord de la personne le")
    agreement_mode = choice(
        "modalité de l'accord", AgreementMode.choices, max_length=20, blank=True
    )
    person_words = models.TextField("les mots de la personne", blank=True)
    countersigned_by = author()
    countersigned_at = models.DateTimeField("contresigné le", null=True, blank=True)
    in_force_on = optional_date("en vigueur depuis le")
    replaced_on = optional_date("remplacé le")
    created_by = author()

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
    domain = choice("domaine", AssessmentDomain.choices, max_length=20)
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
    actor = choice("qui agit", StepActor.choices, max_length=12)
    # A partner organisation (a referral "Orienter" will hang on it: parcours/partners).
    partner = optional_link(
        "accounts.Organisation",
        "partenaire",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrganisationKind.PARTENAIRE},
    )
    partner_detail = optional_text("précision (partenaire, interlocuteur)")
    due_on = optional_date("échéance")
    status = choice("état", StepStatus.choices, max_length=12, default=StepStatus.A_FAIRE)
    reason = optional_text("motif de l'abandon", max_length=300)
    done_on = optional_date("fait le")
    order = models.PositiveIntegerField("ordre", default=0)
    updated_by = author()
    # The same step through the plan's versions: "Nouvelle version" copies it with its lineage,
    # so a referral made from an earlier version still belongs to the step in force.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "étape"
        constraints = [
            filled_when("plan_step_abandon_reason", "reason", status=StepStatus.ABANDONNE)
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
