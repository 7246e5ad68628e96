"""A person's file handed to another SPIP (dessaisissement, rules.handovers, ADR 0032)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from parcours.core.fields import author, choice, optional_date, optional_link
from parcours.core.models import CaseRecord
from parcours.rules.vocabulary import HandoverStatus


class HandoverQuerySet(models.QuerySet["Handover"]):
    def waiting(self) -> HandoverQuerySet:
        return self.filter(status=HandoverStatus.EN_ATTENTE)


class Handover(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="handovers")
    from_spip = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="SPIP d'origine",
    )
    to_spip = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="SPIP destinataire",
    )
    status = choice(
        "état", HandoverStatus.choices, max_length=12, default=HandoverStatus.EN_ATTENTE
    )
    reason = models.TextField("motif", max_length=1000)
    new_address = models.TextField("nouvelle adresse", max_length=500, blank=True)
    jap_order_on = optional_date(
        "date de l'ordonnance de dessaisissement",
        help_text="Ordonnance du JAP (CPP art. 712-10), si elle est déjà rendue.",
    )
    requested_by = author()
    decided_by = optional_link("accounts.User", "décidé par", on_delete=models.PROTECT)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decision_note = models.TextField("motif de la décision", max_length=1000, blank=True)

    objects = HandoverQuerySet.as_manager()
    # Set for display by handovers.selectors.mark_late (never stored).
    late: bool

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "dessaisissement"
        indexes = [
            models.Index(fields=["to_spip", "status", "-created_at"], name="handover_to_idx"),
            models.Index(fields=["from_spip", "status", "-created_at"], name="handover_from_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=HandoverStatus.EN_ATTENTE),
                name="handover_one_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Dessaisissement vers {self.to_spip} ({self.get_status_display()})"
