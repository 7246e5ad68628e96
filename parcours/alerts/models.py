"""Alerts: the legal deadlines of current measures (rules/legal_deadlines.py, issue 13),
materialised nightly by `services.recompute_alerts` so that lists can sort and paginate them in
the database. A deadline whose action is recorded (status `done`) is not materialised: its alert
disappears at once (the measure's services recompute the person).

Urgency is not stored: it depends on today (the SPIP's local date), and is computed at display
time (`urgency_on`) or, for counts and filters, with `urgency_q`, both from the same rule as
`legal_deadlines.deadline_status`: overdue after the due date, imminent when the last working day
before it is at most the rule's notice away.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import models
from django.db.models import Q

from parcours.core.fields import choice, nullable_link, optional_date, optional_text
from parcours.rules.legal_deadlines import DEFAULT_NOTICE_DAYS, RULES

DEPASSEE = "depassee"
IMMINENTE = "imminente"
A_VENIR = "a_venir"
URGENCY_LABELS: dict[str, str] = {DEPASSEE: "Dépassée", IMMINENTE: "Imminente", A_VENIR: "À venir"}
# Alerts that follow a record of an app above (not a measure's legal deadline): written by the
# `alert_sources` those apps list on their AppConfig (see services.recompute_alerts), each keyed
# by the record's public id (`origin`). Notice window (days) of their "imminente" urgency.
PLAN_STEP = "etape_plan"
EXTRA_KINDS: dict[str, tuple[str, int]] = {
    PLAN_STEP: ("Étape du plan d'accompagnement", DEFAULT_NOTICE_DAYS),
}
KIND_CHOICES = [(kind, rule.label) for kind, rule in RULES.items()] + [
    (kind, label) for kind, (label, _) in EXTRA_KINDS.items()
]


class Alert(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="alerts")
    # The person's SPIP, copied by the writers of alerts (alerts.services, plans.todo) so that a
    # SPIP's list and counts read only its own alerts (index alert_spip_due_idx). A person's
    # SPIP changes only with their whole file (handovers.services.accept_handover moves the
    # alerts with it, ADR 0032); a test checks every writer. Reads still go through the
    # people's scope: this column only narrows them.
    spip = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    measure = nullable_link("measures.Measure", related_name="alerts", on_delete=models.CASCADE)
    kind = choice("échéance", KIND_CHOICES, max_length=40)
    label = models.CharField("libellé", max_length=200)
    article = optional_text("référence")
    source = optional_text("ligne des sources juridiques", max_length=40)
    due_date = models.DateField("échéance le")
    last_working_day = optional_date("dernier jour ouvré")
    status = optional_text("statut au calcul", max_length=12)
    explanation = models.TextField("pourquoi cette échéance", blank=True)
    computed_at = models.DateTimeField("calculée le")
    # The public id of the record an extra kind follows (a plan step); empty for legal deadlines.
    origin = models.UUIDField("élément suivi", null=True, blank=True)

    # Set for display by `with_urgency` (never stored: they depend on today).
    urgency: str
    days: int

    class Meta:
        verbose_name = "alerte"
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "kind"], name="alert_measure_kind_uniq"),
            models.UniqueConstraint(
                fields=["kind", "origin"],
                condition=Q(origin__isnull=False),
                name="alert_kind_origin_uniq",
            ),
        ]
        indexes = [
            # "Alerts of these people, by due date" (to-do list, person file). Every read is
            # scoped to people (a caseload, a SPIP): no index on the due date alone, which led
            # the planner to walk the whole country's alerts in date order for a SPIP's list
            # (migration 0004).
            models.Index(fields=["person", "due_date"], name="alert_person_due_idx"),
            # "Alerts of this SPIP, by due date" (the encadrement's to-do list and counts).
            models.Index(fields=["spip", "due_date"], name="alert_spip_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_date:%d/%m/%Y})"

    def urgency_on(self, today: date) -> tuple[str, int]:
        """('depassee' | 'imminente' | 'a_venir', days overdue or left)."""
        left = (self.due_date - today).days
        if left < 0:
            return DEPASSEE, -left
        last = self.last_working_day or self.due_date
        return (IMMINENTE if (last - today).days <= notice_days(self.kind) else A_VENIR), left


def notice_days(kind: str) -> int:
    if kind in EXTRA_KINDS:
        return EXTRA_KINDS[kind][1]
    rule = RULES.get(kind)
    if rule is None or rule.notice_days is None:
        return DEFAULT_NOTICE_DAYS
    return rule.notice_days


def urgency_q(level: str, today: date) -> Q:
    """The alerts of one urgency level on `today`, as a filter (same rule as `urgency_on`)."""
    if level == DEPASSEE:
        return Q(due_date__lt=today)
    soon = Q()
    by_window: dict[int, list[str]] = {}
    for kind in (*RULES, *EXTRA_KINDS):
        by_window.setdefault(notice_days(kind), []).append(kind)
    for window, kinds in by_window.items():
        soon |= Q(kind__in=kinds, last_working_day__lte=today + timedelta(days=window))
    if level == IMMINENTE:
        return Q(due_date__gte=today) & soon
    if level == A_VENIR:
        return Q(due_date__gte=today) & ~soon
    raise ValueError(level)


URGENCY_LEVELS = [(level, URGENCY_LABELS[level]) for level in (DEPASSEE, IMMINENTE, A_VENIR)]


def with_urgency(alerts: Iterable[Alert], today: date) -> list[Alert]:
    """The alerts as a list, each with `urgency` and `days` set."""
    rows = list(alerts)
    for alert in rows:
        alert.urgency, alert.days = alert.urgency_on(today)
    return rows
