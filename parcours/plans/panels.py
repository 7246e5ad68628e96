"""The person file's "Plan d'accompagnement" panel: the plan in force (goals by domain, steps
with who acts, due date, status, the overdue ones marked) and the version in preparation.

Queries: the person's current plans (in force, in preparation: one query), then the shown plan's
goals and their steps (two queries). Hidden from the roles that do not read plans."""

from __future__ import annotations

from typing import Any

from parcours.measures.selectors import spip_today
from parcours.people.access import PersonAccess
from parcours.people.panels import ACCOMPAGNEMENT, person_file

from .access import READERS
from .selectors import current_and_pending, plan_view


@person_file.panel(
    key="plan", title="Plan d'accompagnement", order=25, tab=ACCOMPAGNEMENT, roles=READERS
)
def plan_panel(request: Any, access: PersonAccess) -> dict[str, Any] | None:
    in_force, pending = current_and_pending(access.person)
    today = spip_today(request.user.service_timezone)
    return {
        "plan_in_force": in_force,
        "plan_pending": pending,
        "plan_view": plan_view(in_force, today, links=True) if in_force is not None else None,
        "can_write": access.can_edit_measures,
    }
