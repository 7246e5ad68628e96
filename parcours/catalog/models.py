"""Versioned legal catalogue. Article references are data (the CPP is being renumbered)."""

from __future__ import annotations

from decimal import Decimal
from typing import Self, TypeVar

from django.db import models

from parcours.core.fields import choice, optional_date
from parcours.rules.vocabulary import Milieu

_Type = TypeVar("_Type", bound="VersionedType")


class VersionedTypeQuerySet(models.QuerySet[_Type]):
    def current(self) -> Self:
        """The versions in force (not abrogated)."""
        return self.filter(valid_to__isnull=True)


class VersionedType(models.Model):
    """One version of a type of the legal catalogue (a measure type, an obligation type). A new
    legal text creates a new row with the same `code` and a later `version_date`; the records
    keep the version they were created under."""

    code = models.CharField("code", max_length=40)
    version_date = models.DateField("version du")
    valid_to = optional_date("abrogée le")
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = VersionedTypeQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version_date"], name="%(class)s_code_version_unique"
            )
        ]


class MeasureType(VersionedType):
    """One version of a measure type; measures keep the version they were created under."""

    label = models.CharField("libellé", max_length=200)
    articles = models.JSONField(
        "références", default=list, help_text='e.g. ["CP art. 132-40", "CP art. 132-41"]'
    )
    default_milieu = choice("milieu habituel", Milieu.choices, max_length=10, default=Milieu.OUVERT)
    has_probation_period = models.BooleanField("délai d'épreuve", default=False)
    min_probation_months = models.PositiveSmallIntegerField(null=True, blank=True)
    max_probation_months = models.PositiveSmallIntegerField(null=True, blank=True)
    caseload_weight = models.DecimalField(
        "pondération de charge", max_digits=4, decimal_places=2, default=Decimal("1.00")
    )

    class Meta(VersionedType.Meta):
        ordering = ["sort_order", "label"]
        verbose_name = "type de mesure"

    def __str__(self) -> str:
        return self.label

    @property
    def articles_display(self) -> str:
        return ", ".join(self.articles)
