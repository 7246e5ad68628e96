"""The steps of the plans in force in the CPIP's "À traiter": materialised as `alerts.Alert` rows
of kind `etape_plan` (one per step, keyed by the step's public id in `origin`), so that the list
sorts, filters, counts and paginates them with the legal deadlines.

Which steps: the open ones (à faire, en cours) with a due date, of a plan in force —
- the CPIP's steps, whatever their date (their urgency, shown from today, says when);
- the person's and a partner's steps once their date has passed (the CPIP follows them up).

`sync_step_alerts` is listed on the plans AppConfig as an `alert_source`: the alerts' nightly
(`alerts.services.recompute_alerts`) runs it, so a person's step becomes due the night after its
date; the plans' services run it for one person after each change of a plan in force."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.alerts.models import PLAN_STEP, Alert
from parcours.measures.selectors import spip_today
from parcours.rules.french import short_date
from parcours.rules.vocabulary import AssessmentDomain, PlanStatus, StepActor

from .models import OPEN_STEP_STATUSES, Step

VALUE_FIELDS = (
    "person_id",
    "spip_id",
    "label",
    "article",
    "due_date",
    "last_working_day",
    "explanation",
)
BATCH = 1000


def wanted(actor: str, due_on: date, today: date) -> bool:
    """Whether a step with this actor and due date is "à traiter" on `today`."""
    return actor == StepActor.CPIP or due_on < today


def _label(row: Mapping[str, Any]) -> str:
    who = {
        StepActor.CPIP: "CPIP",
        StepActor.PERSONNE: "la personne",
        StepActor.PARTENAIRE: row["partner__name"] or row["partner_detail"] or "un partenaire",
    }[row["actor"]]
    return f"Étape du plan ({who}) : {row['text']}"[:200]


def _explanation(row: Mapping[str, Any], today: date) -> str:
    domain = AssessmentDomain(row["goal__domain"]).label
    due = short_date(row["due_on"])
    if row["actor"] == StepActor.CPIP:
        return (
            f"Étape confiée au CPIP dans le plan d'accompagnement en vigueur (objectif « "
            f"{row['goal__text']} », domaine {domain}), à faire pour le {due}."
        )
    who = "la personne" if row["actor"] == StepActor.PERSONNE else "le partenaire"
    return (
        f"Étape confiée à {who} dans le plan d'accompagnement en vigueur (objectif « "
        f"{row['goal__text']} », domaine {domain}), prévue pour le {due} et toujours "
        f"ouverte : faites le point avec {who}."
    )


def sync_step_alerts(
    *,
    person_ids: Iterable[int] | None = None,
    spip_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> int:
    """Writes the `etape_plan` alerts of the people given (of the SPIPs given; everyone when
    both are None): creates, updates and deletes so that they match the steps to treat, each on
    its SPIP's local date (or `today`). Returns how many such alerts the people now have."""
    steps = Step.objects.filter(
        goal__plan__status=PlanStatus.EN_VIGUEUR,
        status__in=OPEN_STEP_STATUSES,
        due_on__isnull=False,
    )
    alerts = Alert.objects.filter(kind=PLAN_STEP)
    if person_ids is not None:
        ids = sorted(set(person_ids))
        steps = steps.filter(goal__plan__person_id__in=ids)
        alerts = alerts.filter(person_id__in=ids)
    if spip_ids is not None:
        spips = sorted(set(spip_ids))
        steps = steps.filter(goal__plan__person__spip_id__in=spips)
        alerts = alerts.filter(person__spip_id__in=spips)
    now = timezone.now()
    keep: dict[Any, tuple[Any, ...]] = {}
    for row in steps.values(
        "public_id",
        "text",
        "actor",
        "due_on",
        "partner__name",
        "partner_detail",
        "goal__domain",
        "goal__text",
        "goal__plan__person_id",
        "goal__plan__person__spip_id",
        "goal__plan__person__spip__timezone",
    ).order_by():
        as_of = today or spip_today(row["goal__plan__person__spip__timezone"] or "", now)
        due_on = row["due_on"]
        if due_on is None or not wanted(row["actor"], due_on, as_of):
            continue
        keep[row["public_id"]] = (
            row["goal__plan__person_id"],
            row["goal__plan__person__spip_id"],
            _label(row),
            "Plan d'accompagnement",
            row["due_on"],
            row["due_on"],
            _explanation(row, as_of),
        )
    existing = {
        origin: (pk, *values)
        for pk, origin, *values in alerts.values_list("pk", "origin", *VALUE_FIELDS).order_by()
    }
    obsolete = [row[0] for origin, row in existing.items() if origin not in keep]
    create: list[Alert] = []
    update: list[Alert] = []
    for origin, values in keep.items():
        old = existing.get(origin)
        if old is not None and tuple(old[1:]) == values:
            continue
        alert = Alert(
            pk=old[0] if old else None,
            kind=PLAN_STEP,
            origin=origin,
            computed_at=now,
            **dict(zip(VALUE_FIELDS, values, strict=True)),
        )
        (update if old else create).append(alert)
    if not (obsolete or create or update):
        return len(keep)
    with transaction.atomic():
        for start in range(0, len(obsolete), BATCH):
            Alert.objects.filter(pk__in=obsolete[start : start + BATCH]).delete()
        # A step whose plan moved to another person's file (never) or an alert of a person
        # outside the run: (kind, origin) is unique, the old row goes first.
        origins = [a.origin for a in create]
        for start in range(0, len(origins), BATCH):
            Alert.objects.filter(kind=PLAN_STEP, origin__in=origins[start : start + BATCH]).delete()
        Alert.objects.bulk_create(create, batch_size=BATCH)
        Alert.objects.bulk_update(update, [*VALUE_FIELDS, "computed_at"], batch_size=BATCH)
    return len(keep)
