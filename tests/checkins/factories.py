"""Remote check-in rows for tests and the access matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from parcours.checkins.models import Checkin, CheckinPlan
from parcours.obligations import storage

from ..obligations.factories import tiny_image


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


def first_checkin(person: Any, *, proof: bool = False) -> Checkin:
    """An answered check-in of the person (made on first use), with a stored proof if asked:
    rows of the access matrix (the proof needs the `private_media` fixture)."""
    checkin = Checkin.objects.filter(person=person).first()
    if checkin is None:
        plan = CheckinPlan.objects.filter(person=person).first() or make_plan(person)
        checkin = Checkin.objects.create(
            plan=plan,
            person=person,
            due_date=timezone.localdate() - timedelta(days=1),
            answered_at=timezone.now(),
            message="Tout va bien, j'ai commencé ma formation.",
        )
    if proof and not checkin.proof_path:
        checkin.proof_path = storage.write(tiny_image(), "png", "controles")
        checkin.proof_name = "bail.png"
        checkin.save()
    return checkin
