"""Manquements (breaches of a measure's obligations) and the follow-up given to each."""

from __future__ import annotations

from django.db import models

from parcours.core.models import CaseRecord
from parcours.rules.vocabulary import BreachKind, FollowUpStatus, NextStep


class Breach(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="breaches")
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.CASCADE,
        related_name="breaches",
        verbose_name="mesure",
    )
    obligation = models.ForeignKey(
        "obligations.Obligation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name="obligation concernée",
    )
    kind = models.CharField("type de manquement", max_length=20, choices=BreachKind.choices)
    occurred_on = models.DateField("date du manquement")
    facts = models.TextField("faits", max_length=2000)
    evidence = models.CharField("éléments de preuve", max_length=500, blank=True)
    serious = models.BooleanField("manquement grave", default=False)
    proposed_step = models.CharField(
        "suite proposée", max_length=20, choices=NextStep.choices, editable=False
    )
    proposal_explanation = models.CharField(max_length=300, editable=False, blank=True)
    # The row of the graduated response applied (rules.breaches.RESPONSE_TABLE) and why, French.
    proposal_rule = models.CharField("règle appliquée", max_length=400, editable=False, blank=True)
    chosen_step = models.CharField("suite retenue", max_length=20, choices=NextStep.choices)
    followup_status = models.CharField(
        "état de la suite",
        max_length=10,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.A_FAIRE,
    )
    followup_done_on = models.DateField("réalisée le", null=True, blank=True)
    followup_note = models.CharField("commentaire", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = "manquement"
        indexes = [models.Index(fields=["person", "-occurred_on"], name="breach_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y}"
