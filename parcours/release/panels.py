"""The person file's "Préparation à la sortie" panel: for a detainee, the countdown to the
expected release date, the checklist's progress and its overdue items.

Queries: the person's latest écrou (situation joined), read once per page for this panel and
the detention panels (detention.panels.shared_ecrou); then, for an open écrou, one query for its
plan and items. A person never held (Person.ever_detained): none."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from parcours.detention.panels import shared_ecrou
from parcours.people.access import PersonAccess
from parcours.people.panels import DETENTION, person_file
from parcours.rules.release import countdown_label

from .models import ReleaseItem
from .selectors import Checklist


@person_file.panel(key="sortie", title="Préparation à la sortie", order=15, tab=DETENTION)
def release_panel(request: Any, access: PersonAccess) -> dict[str, Any] | None:
    ecrou = shared_ecrou(request, access)
    if ecrou is None or ecrou.released_on is not None:
        return None
    today = timezone.localdate()
    items = list(ReleaseItem.objects.filter(plan__ecrou_id=ecrou.pk).select_related("plan"))
    plan = items[0].plan if items else None
    situation = getattr(ecrou, "situation", None)
    expected = plan.expected_on if plan else (situation.release_date if situation else None)
    return {
        "release_ecrou": ecrou,
        "release_expected": expected,
        "release_checklist": Checklist(plan, items, today) if plan is not None else None,
        "release_countdown": _countdown(expected, today),
    }


def _countdown(expected: date | None, today: date) -> str:
    return countdown_label(expected, today) if expected is not None else ""
