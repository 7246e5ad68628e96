"""Remote check-in rows for tests and the access matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from parcours.checkins.models import Checkin, CheckinPlan


def make_plan(person: Any, **overrides: Any) -> CheckinPlan:
    values: dict[str, Any] = {
        "person": person,
        "measure": person.measures.order_by("pk").first(),
        "rhythm": "jours",
        "every_days": 7,
        "start_date": timezone.localdate() - timedelta(days=14),
        "created_by": person.referent,
    }
    values.update(overrides)
    return CheckinPlan.objects.create(**values)


def first_checkin(person: Any) -> Checkin:
    """An answered check-in of the person (made on first use): rows of the access matrix."""
    existing = Checkin.objects.filter(person=person).first()
    if existing is not None:
        return existing
    plan = CheckinPlan.objects.filter(person=person).first() or make_plan(person)
    return Checkin.objects.create(
        plan=plan,
        person=person,
        due_date=timezone.localdate() - timedelta(days=1),
        answered_at=timezone.now(),
        message="Tout va bien, j'ai commencé ma formation.",
    )
