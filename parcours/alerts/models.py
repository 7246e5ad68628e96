"""Alerts: the legal deadlines of current measures (rules/deadlines.py), materialised nightly by
`services.recompute_alerts` so that lists can sort and paginate them in the database.

Urgency is not stored: it depends on today, and is computed at display time (`urgency_on`) or,
for counts and filters, with `urgency_q`, both from the same rules (`rules.deadlines.urgency`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import models
from django.db.models import Q

from parcours.rules.deadlines import (
    A_VENIR,
    DEADLINE_RULES,
    DEFAULT_IMMINENT_DAYS,
    DEPASSEE,
    IMMINENTE,
    URGENCY_LABELS,
    Deadline,
    urgency,
)

KIND_CHOICES = [(kind, rule.label) for kind, rule in DEADLINE_RULES.items()]


class Alert(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="alerts")
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
    )
    kind = models.CharField("échéance", max_length=40, choices=KIND_CHOICES)
    label = models.CharField("libellé", max_length=200)
    article = models.CharField("référence", max_length=60, blank=True)
    due_date = models.DateField("échéance le")
    computed_at = models.DateTimeField("calculée le")

    # Set for display by `with_urgency` (never stored: they depend on today).
    urgency: str
    days: int

    class Meta:
        verbose_name = "alerte"
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "kind"], name="alert_measure_kind_uniq")
        ]
        indexes = [
            # "Alerts of these people, by due date" (to-do list, person file).
            models.Index(fields=["person", "due_date"], name="alert_person_due_idx"),
            models.Index(fields=["due_date"], name="alert_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_date:%d/%m/%Y})"

    def as_deadline(self) -> Deadline:
        rule = DEADLINE_RULES.get(self.kind)
        notice = rule.notice_days if rule else None
        return Deadline(self.kind, self.label, self.due_date, self.article, "", notice)

    def urgency_on(self, today: date) -> tuple[str, int]:
        """('depassee' | 'imminente' | 'a_venir', days overdue or left)."""
        return urgency(self.as_deadline(), today)


def notice_days(kind: str) -> int:
    rule = DEADLINE_RULES[kind]
    return rule.notice_days if rule.notice_days is not None else DEFAULT_IMMINENT_DAYS


def urgency_q(level: str, today: date) -> Q:
    """The alerts of one urgency level on `today`, as a filter (same rule as `urgency`)."""
    if level == DEPASSEE:
        return Q(due_date__lt=today)
    soon = Q()
    by_window: dict[int, list[str]] = {}
    for kind in DEADLINE_RULES:
        by_window.setdefault(notice_days(kind), []).append(kind)
    for window, kinds in by_window.items():
        soon |= Q(kind__in=kinds, due_date__lte=today + timedelta(days=window))
    if level == IMMINENTE:
        return Q(due_date__gte=today) & soon
    if level == A_VENIR:
        return Q(due_date__gte=today) & ~soon
    raise ValueError(level)


URGENCY_LEVELS = [(level, URGENCY_LABELS[level]) for level in (DEPASSEE, IMMINENTE, A_VENIR)]


def with_urgency(alerts: Iterable[Alert], today: date) -> list[Alert]:
    """The alerts as a list, each with `urgency` and `days` set (rules.deadlines.urgency)."""
    rows = list(alerts)
    for alert in rows:
        alert.urgency, alert.days = alert.urgency_on(today)
    return rows
