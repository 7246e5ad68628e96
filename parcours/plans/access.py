"""The doors of the individual plan: a plan, a goal and a step open through their person's door
(404 outside the user's scope, a motif for a colleague's file, the consultation journaled).

Who reads: the SPIP's staff who follow the person (CPIP, DPIP, DFSPIP); the court reads the plan
in the reports it receives, not here. Who writes: the same roles on a file they may edit
(`PersonAccess.can_edit_measures`: the referent, the encadrement). Countersignature and the
SPIP's setting: DPIP and DFSPIP."""

from __future__ import annotations

from typing import Any

from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.measures.access import WRITERS, may_edit_measures
from parcours.people.access import PersonAccess, file_record_opener

from .models import Goal, Plan, Step

READERS = WRITERS
MANAGERS = (Role.DPIP, Role.DFSPIP)

plan_door: Door[tuple[Plan, PersonAccess]] = Door(
    "plan d'accompagnement",
    file_record_opener(
        Plan.objects.select_related("person", "measure__measure_type", "countersigned_by"),
        "person",
        "Plan introuvable.",
    ),
)
_open_goal = file_record_opener(
    Goal.objects.select_related("plan__person"), "plan__person", "Objectif introuvable."
)
goal_door: Door[tuple[Goal, PersonAccess]] = Door("objectif du plan", _open_goal)
goal_door_by_goal_id = goal_door.keyed_by("goal_id")
step_door: Door[tuple[Step, PersonAccess]] = Door(
    "étape du plan",
    file_record_opener(
        Step.objects.select_related("goal__plan__person", "partner"),
        "goal__plan__person",
        "Étape introuvable.",
    ),
)

may_write = may_edit_measures


def may_countersign(request: Any, *opened: Any) -> bool:
    """The encadrement of the person's SPIP (the door already checked the SPIP)."""
    return request.user.role in MANAGERS and may_edit_measures(request, *opened)
