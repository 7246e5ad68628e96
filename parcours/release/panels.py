"""The person file's "Préparation à la sortie" panel: for a detainee, the countdown to the
expected release date, the checklist's progress and its overdue items (two queries at most:
the open écrou with its situation and plan, then the plan's items; one for anyone else)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules.release import countdown_label

from .selectors import checklist, expected_release, open_ecrou


@person_file.panel(
    key="sortie",
    title="Préparation à la sortie",
    template="release/panel.html",
    order=15,
)
def release_panel(request: Any, access: PersonAccess) -> dict[str, Any] | None:
    ecrou = open_ecrou(access.person)
    if ecrou is None:
        return None
    today = timezone.localdate()
    plan = getattr(ecrou, "release_plan", None)
    expected = expected_release(ecrou)
    return {
        "release_ecrou": ecrou,
        "release_expected": expected,
        "release_checklist": checklist(plan, today) if plan is not None else None,
        "release_countdown": _countdown(expected, today),
    }


def _countdown(expected: date | None, today: date) -> str:
    return countdown_label(expected, today) if expected is not None else ""
