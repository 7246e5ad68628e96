"""Remote check-in (contrôle à distance, issue 18): the CPIP's plan per person and measure, and
one row per due date, answered by the person (from their space) and reviewed by the CPIP."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import author, choice, optional_date, optional_text
from parcours.core.models import CaseEntry, CaseRecord, named_by_date
from parcours.rules.french import WEEKDAYS
from parcours.rules.vocabulary import CheckinReview, CheckinRhythm


class CheckinPlan(CaseRecord):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="checkin_plans"
    )
    measure = models.ForeignKey("measures.Measure", on_delete=models.CASCADE, related_name="+")
    rhythm = choice("rythme", CheckinRhythm.choices, max_length=5)
    every_days = models.PositiveSmallIntegerField("tous les (jours)", null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        "jour de la semaine",
        null=True,
        blank=True,
        choices=list(enumerate(WEEKDAYS)),
    )
    start_date = models.DateField("à partir du")
    end_date = optional_date("jusqu'au")
    active = models.BooleanField("actif", default=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "contrôle à distance"
        constraints = [
            models.UniqueConstraint(fields=["person", "measure"], name="checkin_plan_unique")
        ]

    def __str__(self) -> str:
        return f"Contrôle à distance de {self.person_id}"


class Checkin(CaseEntry):
    plan = models.ForeignKey(CheckinPlan, on_delete=models.CASCADE, related_name="checkins")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="checkins")
    due_date = models.DateField("à remplir le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    situation_changed = models.BooleanField("changement de situation", default=False)
    address = optional_text("adresse actuelle", max_length=300)
    work = optional_text("travail ou formation", max_length=300)
    message = models.TextField("message libre", max_length=2000, blank=True)
    proof_path = models.CharField(max_length=200, blank=True, editable=False)
    proof_name = optional_text("justificatif")
    review = choice("revue", CheckinReview.choices, max_length=8, default=CheckinReview.A_REVOIR)
    review_comment = optional_text("commentaire", max_length=1000)
    reviewed_at = models.DateTimeField("revu le", null=True, blank=True)
    reviewed_by = author()

    class Meta:
        ordering = ["-due_date", "-pk"]
        verbose_name = "contrôle à distance (échéance)"
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_date"], name="checkin_due_unique")
        ]
        indexes = [models.Index(fields=["person", "-due_date"], name="checkin_person_idx")]

    __str__ = named_by_date("Contrôle", "due_date")
