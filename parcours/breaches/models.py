"""Manquements (breaches of a measure's obligations) and the follow-up given to each."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import author, choice, optional_date, optional_link, optional_text
from parcours.core.models import CaseRecord
from parcours.rules.vocabulary import BreachKind, FollowUpStatus, NextStep

# The follow-up given to a manquement: what its form edits and `services.update_followup` writes.
FOLLOWUP_FIELDS = ("chosen_step", "followup_status", "followup_done_on", "followup_note")


class Breach(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="breaches")
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.CASCADE,
        related_name="breaches",
        verbose_name="mesure",
    )
    obligation = optional_link(
        "obligations.Obligation", "obligation concernée", related_name="breaches"
    )
    kind = choice("type de manquement", BreachKind.choices, max_length=20)
    occurred_on = models.DateField("date du manquement")
    facts = models.TextField("faits", max_length=2000)
    evidence = optional_text("éléments de preuve", max_length=500)
    serious = models.BooleanField("manquement grave", default=False)
    proposed_step = choice("suite proposée", NextStep.choices, max_length=20, editable=False)
    proposal_explanation = models.CharField(max_length=300, editable=False, blank=True)
    # The row of the graduated response applied (rules.breaches.RESPONSE_TABLE) and why, French.
    proposal_rule = models.CharField("règle appliquée", max_length=400, editable=False, blank=True)
    chosen_step = choice("suite retenue", NextStep.choices, max_length=20)
    followup_status = choice(
        "état de la suite", FollowUpStatus.choices, max_length=10, default=FollowUpStatus.A_FAIRE
    )
    followup_done_on = optional_date("réalisée le")
    followup_note = optional_text("commentaire", max_length=500)
    recorded_by = author()

    # Set for display by breaches.panels (never stored): days a follow-up "à faire" has waited.
    waiting_days: int

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = "manquement"
        indexes = [models.Index(fields=["person", "-occurred_on"], name="breach_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y}"
