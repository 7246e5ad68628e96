"""Registres: hours of a travail d'intérêt général (CP art. 131-8, 131-22)."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import author, choice, optional_text
from parcours.core.models import CaseEntry, CaseRecord
from parcours.rules.ledgers import format_euros
from parcours.rules.vocabulary import OffenceKind


class TigLedger(CaseRecord):
    """The hours of one TIG measure (one ledger per measure)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="tig_ledgers", editable=False
    )
    measure = models.OneToOneField(
        "measures.Measure", on_delete=models.CASCADE, related_name="tig_ledger", editable=False
    )
    hours_ordered = models.PositiveSmallIntegerField("heures ordonnées")
    offence = choice("nature de l'infraction", OffenceKind.choices, max_length=30)
    enforceable_from = models.DateField("exécutoire à compter du")
    host_structure = optional_text("structure d'accueil")
    created_by = author()

    class Meta:
        ordering = ["-enforceable_from", "-pk"]
        verbose_name = "registre de TIG"

    def __str__(self) -> str:
        return f"TIG de {self.hours_ordered} h"

    @property
    def summary(self) -> str:
        """What the ledger says, in one line (the saved version shown on a conflict)."""
        return (
            f"{self.hours_ordered} h ({self.get_offence_display().lower()}), exécutoire le "
            f"{self.enforceable_from:%d/%m/%Y}, structure « {self.host_structure or '—'} »"
        )


class TigSession(CaseEntry):
    """Hours done on one day at a host structure."""

    ledger = models.ForeignKey(TigLedger, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField("date")
    hours = models.DecimalField("heures effectuées", max_digits=4, decimal_places=1)
    host_structure = optional_text("structure d'accueil")
    recorded_by = author()
    # Hours a host structure recorded (parcours.partners): they count once the CPIP validates.
    pending = models.BooleanField("à valider", default=False)
    validated_by = author()
    validated_at = models.DateTimeField("validée le", null=True, blank=True)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = "séance de TIG"

    def __str__(self) -> str:
        return f"{self.hours} h le {self.day:%d/%m/%Y}"


class CompensationLedger(CaseRecord):
    """Victim compensation ordered with a measure (CP art. 132-45 5°): amount, schedule,
    payments. Several ledgers per measure when there are several victims."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="compensation_ledgers",
        editable=False,
    )
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.CASCADE,
        related_name="compensation_ledgers",
        editable=False,
    )
    beneficiary = models.CharField(
        "bénéficiaire",
        max_length=100,
        help_text="Par exemple « Partie civile 1 » ou « Fonds de garantie » : pas d'adresse.",
    )
    amount_ordered = models.DecimalField("montant ordonné (€)", max_digits=10, decimal_places=2)
    decided_on = models.DateField("décidé le")
    created_by = author()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = "registre d'indemnisation"

    def __str__(self) -> str:
        return f"Indemnisation de {self.beneficiary} ({format_euros(self.amount_ordered)})"

    @property
    def summary(self) -> str:
        """What the ledger says, in one line (the saved version shown on a conflict)."""
        return (
            f"{self.beneficiary}, {format_euros(self.amount_ordered)} ordonnés le "
            f"{self.decided_on:%d/%m/%Y}"
        )


class CompensationInstallment(models.Model):
    ledger = models.ForeignKey(
        CompensationLedger, on_delete=models.CASCADE, related_name="installments"
    )
    due = models.DateField("échéance")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = "échéance d'indemnisation"

    def __str__(self) -> str:
        return f"{format_euros(self.amount)} le {self.due:%d/%m/%Y}"


class CompensationPayment(CaseEntry):
    ledger = models.ForeignKey(
        CompensationLedger, on_delete=models.CASCADE, related_name="payments"
    )
    paid_on = models.DateField("versé le")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    reference = optional_text(
        "justificatif",
        help_text="Par exemple : reçu du SARVI, virement, attestation de la partie civile.",
    )
    recorded_by = author()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = "versement d'indemnisation"

    def __str__(self) -> str:
        return f"{format_euros(self.amount)} versés le {self.paid_on:%d/%m/%Y}"
