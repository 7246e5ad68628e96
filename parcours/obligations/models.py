"""Obligations imposed with a measure (CP 132-44, 132-45) and the proofs (justificatifs) the
CPIP collects. The catalogue of obligation types is versioned data (data/obligation_types.json)."""

from __future__ import annotations

from typing import Any

from django.db import models

from parcours.catalog.models import VersionedType
from parcours.core.fields import (
    author,
    choice,
    filled_when,
    inclusive_period_check,
    optional_date,
    optional_text,
)
from parcours.core.models import CaseEntry, CaseRecord
from parcours.rules.compliance import ComplianceState
from parcours.rules.vocabulary import ImposedBy, ObligationCategory, ProofKind, ProofStatus

from .parameters import summarise


class ObligationType(VersionedType):
    """One version of an obligation type; obligations keep the version they were imposed under."""

    number = models.CharField("numéro", max_length=12, help_text='Tel qu\'imprimé : "3°", "7° bis"')
    category = choice("catégorie", ObligationCategory.choices, max_length=30)
    label = models.CharField("libellé", max_length=300)
    article = models.CharField("référence", max_length=60, help_text='e.g. "CP art. 132-45 3°"')
    parameters = models.JSONField(
        "paramètres", default=list, help_text='[{"name", "label", "type", "required"}]'
    )
    default_proof_type = optional_text("justificatif habituel", max_length=120)
    default_cadence_months = models.PositiveSmallIntegerField(
        "périodicité habituelle (mois)", null=True, blank=True
    )

    class Meta(VersionedType.Meta):
        ordering = ["sort_order", "code"]
        verbose_name = "type d'obligation"

    def __str__(self) -> str:
        return f"{self.article} — {self.label}"

    @property
    def parameter_definitions(self) -> list[dict[str, Any]]:
        return list(self.parameters or [])


class Obligation(CaseRecord):
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="obligations"
    )
    obligation_type = models.ForeignKey(
        ObligationType, on_delete=models.PROTECT, verbose_name="obligation"
    )
    parameters = models.JSONField("paramètres", default=dict, blank=True)
    start_date = models.DateField("date de début")
    end_date = optional_date("date de fin")
    proof_type = optional_text("justificatif attendu", max_length=120)
    cadence_months = models.PositiveSmallIntegerField(
        "périodicité (mois)",
        null=True,
        blank=True,
        help_text="Tous les combien de mois un justificatif est attendu ; vide = aucun.",
    )
    imposed_by = choice(
        "prononcée par", ImposedBy.choices, max_length=12, default=ImposedBy.JURIDICTION
    )
    imposed_on = models.DateField("prononcée le")
    # Computed by obligations.compliance.refresh_compliance (blank: no periodic proof to check);
    # an automatic status says *justificatif manquant*, never *manquement* (R-COMPLIANCE).
    compliance_status = choice(
        "suivi", ComplianceState.choices, max_length=20, blank=True, editable=False
    )
    compliance_explanation = optional_text("explication du suivi", max_length=400, editable=False)
    compliance_next_due = models.DateField("prochaine échéance", null=True, editable=False)
    created_by = author()

    class Meta:
        ordering = ["obligation_type__sort_order", "pk"]
        verbose_name = "obligation"
        indexes = [models.Index(fields=["measure", "start_date"], name="obligation_measure_idx")]
        constraints = [
            inclusive_period_check("obligation_end_after_start", "start_date", "end_date")
        ]

    def __str__(self) -> str:
        return f"{self.obligation_type.article} — {self.obligation_type.label}"[:200]

    @property
    def has_periodic_proof(self) -> bool:
        return bool(self.cadence_months)

    @property
    def parameters_summary(self) -> str:
        return summarise(self.obligation_type.parameter_definitions, self.parameters or {})


class Proof(CaseEntry):
    """A justificatif. Files live under MEDIA_ROOT (outside the web root) as <uuid>.<ext> and are
    served only by the access-checked download view."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="proofs")
    kind = choice("nature", ProofKind.choices, max_length=10)
    received_on = models.DateField("reçu le")
    covers_from = optional_date("période couverte du")
    covers_to = optional_date("au")
    original_name = optional_text("nom du fichier", max_length=120)
    stored_path = models.CharField(max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=40, blank=True, editable=False)
    size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    status = choice("statut", ProofStatus.choices, max_length=12, default=ProofStatus.EN_ATTENTE)
    decision_reason = models.TextField("motif", blank=True)
    decided_by = author()
    decided_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = author()
    # Sent by the person from their own space (issue 18): no uploaded_by then.
    via_space = models.BooleanField("envoyé depuis l'espace personnel", default=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "justificatif"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(covers_to__isnull=True)
                | models.Q(covers_from__isnull=True)
                | models.Q(covers_to__gte=models.F("covers_from")),
                name="proof_period_ordered",
            ),
            filled_when("proof_refusal_has_reason", "decision_reason", status="refuse"),
        ]

    def __str__(self) -> str:
        what = self.original_name or self.get_kind_display()
        return f"Justificatif du {self.received_on:%d/%m/%Y} ({what})"

    @property
    def has_file(self) -> bool:
        return self.kind == ProofKind.FICHIER and bool(self.stored_path)
