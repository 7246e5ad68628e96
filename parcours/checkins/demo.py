"""Demo remote check-ins (issue 18): three of the main CPIP's people in Lille with a weekly
check-in over the last four weeks, some answered (one reviewed, one to follow up), some missed.
Idempotent: nothing when the demo SPIP already have a plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.demo import MAIN_CPIP, demo_spips
from parcours.accounts.models import Organisation, User
from parcours.measures.models import Measure
from parcours.rules.vocabulary import CheckinRhythm

from . import services
from .models import Checkin, CheckinPlan

PEOPLE = 3
ANSWERS: tuple[dict[str, Any], ...] = (
    {"message": "Tout va bien, je travaille toujours chez le même employeur."},
    {
        "situation_changed": True,
        "address": "14 rue Solférino, 59000 Lille",
        "message": "J'ai déménagé.",
    },
    {"work": "Formation de cariste (AFPA) depuis lundi", "message": ""},
)


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    spips = demo_spips(orgs)
    if CheckinPlan.objects.filter(person__spip__in=spips).exists():
        return {}
    cpip = users.get(MAIN_CPIP)
    if cpip is None:
        return {}
    today = timezone.localdate()
    measures = list(
        Measure.objects.filter(person__referent=cpip, person__spip__in=spips)
        .select_related("person")
        .order_by("person_id", "pk")
    )
    chosen: list[Measure] = []
    for measure in measures:
        if measure.person_id not in {m.person_id for m in chosen}:
            chosen.append(measure)
        if len(chosen) == PEOPLE:
            break
    with transaction.atomic():
        for index, measure in enumerate(chosen):
            plan = services.save_plan(
                acting_user=cpip,
                person=measure.person,
                measure=measure,
                data=services.PlanData(
                    rhythm=CheckinRhythm.JOURS,
                    every_days=7,
                    weekday=None,
                    start_date=today - timedelta(days=28 - index),
                    end_date=None,
                    active=True,
                ),
            )
            rows = list(Checkin.objects.filter(plan=plan).order_by("due_date"))
            # The oldest ones answered, the last past one missed (index 0 and 2), today's open.
            for row, answer in zip(
                rows[: 2 + (index == 1)], ANSWERS[index:] + ANSWERS, strict=False
            ):
                services.submit_checkin(row, answer)
            if rows:
                services.review_checkin(
                    acting_user=cpip, checkin=rows[0], review="vu", comment="RAS."
                )
    return {"controles_a_distance": len(chosen)}
