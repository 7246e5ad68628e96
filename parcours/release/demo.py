"""Demo release preparation: checklists at various stages for the detainees whose computed
release falls within 90 days, whatever detainees the detention demo created. Idempotent: an
écrou that already has its plan is left alone. Composed by parcours.demo (after the detention
demo), `seed(orgs, users) -> counts`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.rules.release import UPCOMING_DAYS, ItemStatus

from .models import ReleaseItem
from .selectors import ecrous_to_prepare
from .services import prepare_release

# The share of each checklist's items ticked, in turn: untouched, started, half done, nearly
# done, complete (the indicators and the upcoming list show every stage).
STAGES = (0.0, 0.25, 0.5, 0.75, 1.0)


def seed(orgs: Any = None, users: Any = None) -> dict[str, int]:
    today = timezone.localdate()
    plans = ticked = 0
    with transaction.atomic():
        for rank, ecrou in enumerate(ecrous_to_prepare(today, UPCOMING_DAYS).order_by("pk")):
            actor = ecrou.person.referent
            plan = prepare_release(actor, ecrou)
            plans += 1
            items = list(plan.items.filter(status=ItemStatus.A_FAIRE).order_by("due_on", "pk"))
            # Items due first are done first; the first appointment is ticked by the agenda.
            todo = [item for item in items if item.key != "rdv_spip"]
            count = round(STAGES[rank % len(STAGES)] * len(todo))
            done = [item.pk for item in todo[:count]]
            if done:
                ticked += ReleaseItem.objects.filter(pk__in=done).update(
                    status=ItemStatus.FAIT, done_on=min(today, plan.expected_on), updated_by=actor
                )
    return {"release_plans": plans, "release_items_done": ticked}
