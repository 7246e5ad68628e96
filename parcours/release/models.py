"""Release preparation (milieu fermé): one plan per écrou, counting down to the expected release
date, and its checklist items (rules.release.CHECKLIST), each with an owner, a due date and a
status."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import (
    author,
    case_person,
    choice,
    filled_when,
    optional_date,
    optional_text,
)
from parcours.core.models import CaseRecord, named_by_date
from parcours.rules.release import DateSource, ItemStatus, Owner


class ReleasePlan(CaseRecord):
    """The preparation of one écrou's release. `expected_on` is the date the checklist counts
    down to: the computed release date of the situation pénale (`date_source` "situation",
    followed by the nightly) or a date the CPIP set (an adjustment granted: "manuelle").

    The plan belongs to its écrou (deleted with it, as the computed situation is); `person` is a
    copy for the lists' filters, without a reverse accessor on Person (as
    detention.SentenceSituation.person): the file's purge reaches the plan through the écrou."""

    person = case_person()
    ecrou = models.OneToOneField(
        "detention.Ecrou", on_delete=models.CASCADE, related_name="release_plan", editable=False
    )
    expected_on = models.DateField("date de libération prévisionnelle")
    date_source = choice(
        "origine de la date", DateSource.choices, max_length=12, default=DateSource.SITUATION
    )
    probation_follows = models.BooleanField(
        "une mesure de probation suit la libération", default=False, editable=False
    )
    created_by = author()

    class Meta:
        ordering = ["expected_on", "pk"]
        verbose_name = "préparation à la sortie"
        verbose_name_plural = "préparations à la sortie"
        indexes = [models.Index(fields=["expected_on"], name="release_plan_expected_idx")]

    __str__ = named_by_date("Préparation à la sortie", "expected_on")


class ReleaseItem(CaseRecord):
    plan = models.ForeignKey(ReleasePlan, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=30, editable=False)
    label = models.CharField("démarche", max_length=200)
    owner = choice("qui s'en charge", Owner.choices, max_length=12)
    owner_detail = optional_text("précision (partenaire, interlocuteur)", max_length=120)
    due_on = models.DateField("à faire avant le")
    status = choice("état", ItemStatus.choices, max_length=12, default=ItemStatus.A_FAIRE)
    reason = optional_text("motif (sans objet)", max_length=300)
    done_on = optional_date("fait le")
    updated_by = author()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "démarche de préparation à la sortie"
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="release_item_key_unique"),
            filled_when("release_item_sans_objet_reason", "reason", status=ItemStatus.SANS_OBJET),
        ]

    def __str__(self) -> str:
        return self.label
