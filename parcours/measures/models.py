"""Mesures: what the court ordered, with dates and status."""

from __future__ import annotations

from django.db import models

from parcours.catalog.models import Milieu
from parcours.core.models import CaseRecord
from parcours.rules.measures import CURRENT_STATUSES, MeasureStatus

__all__ = ["CURRENT_STATUSES", "EDITABLE_FIELDS", "Measure", "MeasureStatus"]

# What the measure form edits and `services.update_measure` writes.
EDITABLE_FIELDS = (
    "measure_type",
    "tribunal",
    "judgment_date",
    "start_date",
    "end_date",
    "release_date",
    "file_received_on",
    "probation_months",
    "milieu",
    "status",
)


class Measure(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="measures")
    measure_type = models.ForeignKey(
        "catalog.MeasureType", on_delete=models.PROTECT, verbose_name="type de mesure"
    )
    tribunal = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="juridiction",
    )
    judgment_date = models.DateField("date du jugement")
    start_date = models.DateField("date de début", null=True, blank=True)
    end_date = models.DateField("date de fin prévue", null=True, blank=True)
    # Dates some legal deadlines count from (rules/deadlines.py): CPP art. 741-1 and 723-15.
    release_date = models.DateField(
        "date de libération",
        null=True,
        blank=True,
        help_text="Mesure suivie après une incarcération : première convocation (CPP art. 741-1).",
    )
    file_received_on = models.DateField(
        "date de réception du dossier (art. 723-15)",
        null=True,
        blank=True,
        help_text="Procédure d'aménagement avant exécution (CPP art. 723-15).",
    )
    probation_months = models.PositiveSmallIntegerField(
        "délai d'épreuve (mois)", null=True, blank=True
    )
    milieu = models.CharField(
        "milieu", max_length=10, choices=Milieu.choices, default=Milieu.OUVERT
    )
    status = models.CharField(
        "statut", max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.EN_COURS
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-judgment_date", "-pk"]
        verbose_name = "mesure"
        indexes = [
            models.Index(fields=["person", "status"], name="measure_person_status_idx"),
            models.Index(fields=["measure_type", "status"], name="measure_type_status_idx"),
            models.Index(fields=["status", "end_date"], name="measure_status_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_type} ({self.get_status_display()})"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES
