"""Adjustment opportunities (milieu fermé): the CPIP's marks on a (person, adjustment), the
commissions de l'application des peines (CAP), their lists and decisions. The opportunities
themselves are computed (rules.adjustments), never stored."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import author, case_person, choice, filled_when, optional_link
from parcours.core.models import CaseRecord, named_by_date
from parcours.detention.models import establishment_link
from parcours.rules.adjustments import Adjustment, Decision, ItemKind, MarkStatus, Review


class AdjustmentMark(CaseRecord):
    """Where the SPIP stands on one adjustment for one person: dossier en préparation, proposé
    à la CAP, écarté (with its reason; the person's refusal is recorded as such, CPP 730-3 al. 2),
    reviewed by the encadrement when écarté."""

    person = case_person("adjustment_marks")
    adjustment = choice("aménagement", Adjustment.choices)
    status = choice("état", MarkStatus.choices, max_length=12)
    reason = models.TextField("motif", max_length=2000, blank=True)
    refusal = models.BooleanField("refus exprimé par la personne", default=False)
    marked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="marqué par"
    )
    review = choice("revue de l'encadrement", Review.choices, max_length=12, blank=True)
    reviewed_by = author()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField("commentaire de l'encadrement", max_length=2000, blank=True)

    class Meta:
        ordering = ["person", "adjustment"]
        verbose_name = "marque d'aménagement"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "adjustment"], name="adjustment_mark_unique_per_person"
            )
        ]
        indexes = [models.Index(fields=["review", "status"], name="adjustment_mark_review_idx")]

    def __str__(self) -> str:
        return f"{self.get_adjustment_display()} : {self.get_status_display()}"


class Commission(CaseRecord):
    """A commission de l'application des peines of one establishment on one date."""

    spip = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    establishment = establishment_link()
    held_on = models.DateField("date de la commission")
    members = models.TextField("composition", max_length=2000, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "commission de l'application des peines"
        indexes = [models.Index(fields=["spip", "-held_on"], name="commission_spip_idx")]

    __str__ = named_by_date("CAP", "held_on")


class CommissionItem(CaseRecord):
    """One line of a CAP's list: a person, why (kind, the adjustment proposed), the SPIP's avis
    (a report of kind avis_cap), and the decision recorded after the commission."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="items")
    person = case_person()
    kind = choice("objet", ItemKind.choices, max_length=12)
    adjustment = choice("aménagement", Adjustment.choices, blank=True)
    rank = models.PositiveIntegerField("ordre", default=1)
    avis = optional_link("reports.Report", "avis du SPIP")
    decision = choice("décision", Decision.choices, max_length=10, blank=True)
    decision_note = models.TextField("précision", max_length=2000, blank=True)
    reduction_months = models.PositiveSmallIntegerField("réduction : mois", default=0)
    reduction_days = models.PositiveSmallIntegerField("réduction : jours", default=0)
    decided_by = author()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commission", "rank", "pk"]
        verbose_name = "personne inscrite à la CAP"
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "person", "kind", "adjustment"],
                name="commission_item_unique",
            ),
            filled_when("commission_item_adjustment_named", "adjustment", kind="amenagement"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.commission})"
