"""Versioned legal catalogue. Article references are data (the CPP is being renumbered)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from parcours.core.fields import choice, optional_date
from parcours.rules.vocabulary import Milieu


class MeasureTypeQuerySet(models.QuerySet["MeasureType"]):
    def current(self) -> MeasureTypeQuerySet:
        return self.filter(valid_to__isnull=True)


class MeasureType(models.Model):
    """One version of a measure type. A new legal text creates a new row with a later
    `version_date`; measures keep the version they were created under."""

    code = models.CharField("code", max_length=40)
    label = models.CharField("libellé", max_length=200)
    articles = models.JSONField(
        "références", default=list, help_text='e.g. ["CP art. 132-40", "CP art. 132-41"]'
    )
    version_date = models.DateField("version du")
    valid_to = optional_date("abrogée le")
    default_milieu = choice("milieu habituel", Milieu.choices, max_length=10, default=Milieu.OUVERT)
    has_probation_period = models.BooleanField("délai d'épreuve", default=False)
    min_probation_months = models.PositiveSmallIntegerField(null=True, blank=True)
    max_probation_months = models.PositiveSmallIntegerField(null=True, blank=True)
    caseload_weight = models.DecimalField(
        "pondération de charge", max_digits=4, decimal_places=2, default=Decimal("1.00")
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = MeasureTypeQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "label"]
        verbose_name = "type de mesure"
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version_date"], name="measuretype_code_version_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def articles_display(self) -> str:
        return ", ".join(self.articles)
