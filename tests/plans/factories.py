"""Plans for the tests, built through the services (the person's plan in force, a draft)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from parcours.plans import services
from parcours.plans.models import Goal, Plan, Step
from parcours.plans.services import StepData
from parcours.rules.vocabulary import PlanStatus, StepActor


def draft(actor: Any, person: Any, *, goals: int = 1) -> Plan:
    """A draft of `person` with `goals` goals (housing, then employment…), one CPIP step each."""
    plan = services.start_plan(actor, person)
    domains = ["logement", "emploi", "sante", "numerique"]
    for index in range(goals):
        goal = services.add_goal(
            actor, plan, domain=domains[index % len(domains)], text=f"Objectif {index + 1}"
        )
        services.add_step(
            actor,
            goal,
            StepData(
                text=f"Étape {index + 1}",
                actor=StepActor.CPIP,
                due_on=timezone.localdate() + timedelta(days=10),
            ),
        )
    return plan


def agree(actor: Any, plan: Plan, *, mode: str = "entretien", **kwargs: Any) -> Plan:
    """The person's agreement today (the plan read again: its version moved with each goal)."""
    plan.refresh_from_db()
    return services.record_agreement(
        actor,
        plan,
        agreed_on=kwargs.pop("agreed_on", timezone.localdate()),
        mode=mode,
        expected_version=plan.version,
        **kwargs,
    )


def in_force(actor: Any, person: Any, *, goals: int = 1) -> Plan:
    """A plan in force (agreed in interview today, no countersignature asked)."""
    return agree(actor, draft(actor, person, goals=goals))


def matrix_plans(person: Any) -> tuple[Plan, Plan]:
    """For the access matrix: the person's plan in force and a draft of the next version (so
    "Nouvelle version" answers its French 400), created once."""
    found = Plan.objects.filter(person=person, status=PlanStatus.EN_VIGUEUR).first()
    if found is None:
        found = in_force(person.referent, person)
        services.start_plan(person.referent, person)
    pending = Plan.objects.get(person=person, status=PlanStatus.BROUILLON)
    return found, pending


def first_goal(plan: Plan) -> Goal:
    return plan.goals.order_by("order", "pk").first()  # type: ignore[return-value]


def first_step(plan: Plan) -> Step:
    return Step.objects.filter(goal__plan=plan).order_by("pk").first()  # type: ignore[return-value]


def step_on(plan: Plan, *, actor: str, due_on: date | None, text: str = "Étape") -> Step:
    """A step added straight into `plan` (any status of plan: the tests of À traiter)."""
    goal = first_goal(plan)
    return Step.objects.create(goal=goal, text=text, actor=actor, due_on=due_on)


def matrix_kwargs(name: str, cast: Any, person: Any) -> dict[str, Any]:
    """The identifiers of the plans' URLs for the access matrix: the person's plan in force (its
    pages, its first step's state) and the draft of version 2 (its goals and steps)."""
    if name in ("plans:to_countersign", "plans:settings"):
        return {}
    if name in ("plans:person", "plans:start"):
        matrix_plans(person)
        return {"person_id": person.public_id}
    current, pending = matrix_plans(person)
    if name in ("plans:detail", "plans:print", "plans:pdf"):
        return {"public_id": current.public_id}
    if name == "plans:step_status":
        return {"public_id": first_step(current).public_id}
    if name in ("plans:goal_edit", "plans:goal_delete"):
        return {"public_id": first_goal(pending).public_id}
    if name == "plans:step_create":
        return {"goal_id": first_goal(pending).public_id}
    if name in ("plans:step_edit", "plans:step_delete"):
        return {"public_id": first_step(pending).public_id}
    # agreement, goal_create, countersign, return: the draft.
    return {"public_id": pending.public_id}
