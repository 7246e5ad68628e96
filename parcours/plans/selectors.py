"""Reads of the individual plan: the plan in force and the one in preparation, a plan's goals
and steps grouped by domain, the history of versions, the plans waiting for a countersignature,
and `summary` (French text) for the report to the judge."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, QuerySet
from django.utils.module_loading import import_string

from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.people.models import Person
from parcours.rules.french import short_date
from parcours.rules.vocabulary import AssessmentDomain, PlanStatus, StepStatus

from .models import Goal, Plan, Step


def plan_in_force(person: Person) -> Plan | None:
    """The person's plan in force, or None."""
    return (
        Plan.objects.filter(person=person, status=PlanStatus.EN_VIGUEUR)
        .select_related("countersigned_by")
        .first()
    )


def goals_of(plan: Plan) -> list[Goal]:
    """The plan's goals with their steps (and partners): two queries."""
    steps = Step.objects.select_related("partner").order_by("order", "pk")
    return list(plan.goals.prefetch_related(Prefetch("steps", queryset=steps)))


@dataclass
class DomainGoals:
    domain: str
    label: str
    goals: list[Goal] = field(default_factory=list)


@dataclass
class PlanView:
    """A plan's goals grouped by domain (in the order of the assessment's domains), with the
    counts the pages show."""

    plan: Plan
    domains: list[DomainGoals]
    steps: int
    done: int
    overdue: list[Step]

    @property
    def goals(self) -> int:
        return sum(len(d.goals) for d in self.domains)


@dataclass(frozen=True)
class StepLink:
    """What an app above hangs on a step, shown beside it (a referral: its kind, its status)."""

    label: str
    status: str
    url: str


# Apps above name on their AppConfig (`plan_step_links`) functions `(steps) -> {step pk:
# [StepLink]}`, one query each; plans does not import them (parcours.partners: the referrals).
STEP_LINKS_ATTRIBUTE = "plan_step_links"
StepLinks = Callable[[list[Step]], Mapping[int, list[StepLink]]]


@cache
def step_link_sources() -> tuple[StepLinks, ...]:
    return tuple(
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, STEP_LINKS_ATTRIBUTE, ())
    )


def attach_links(steps: list[Step]) -> None:
    """Sets each step's `links` (one query per source when there are steps)."""
    for step in steps:
        step.links = []
    if not steps:
        return
    by_pk = {step.pk: step for step in steps}
    for source in step_link_sources():
        for pk, links in source(steps).items():
            by_pk[pk].links.extend(links)


def plan_view(
    plan: Plan, today: date, goals: list[Goal] | None = None, *, links: bool = False
) -> PlanView:
    """The plan's goals by domain; `links`: each step's `links` filled by the apps above
    (otherwise empty)."""
    goals = goals_of(plan) if goals is None else goals
    by_domain: dict[str, DomainGoals] = {}
    for domain in AssessmentDomain:
        by_domain[domain.value] = DomainGoals(domain.value, domain.label)
    steps = done = 0
    overdue: list[Step] = []
    for goal in goals:
        by_domain[goal.domain].goals.append(goal)
        for step in goal.steps.all():
            step.goal = goal  # no query when the templates or the PDF read it
            steps += 1
            done += step.status == StepStatus.FAIT
            step.overdue = step.overdue_on(today)
            if step.overdue:
                overdue.append(step)
    domains = [d for d in by_domain.values() if d.goals]
    every_step = [step for goal in goals for step in goal.steps.all()]
    if links:
        attach_links(every_step)
    else:
        for step in every_step:
            step.links = []
    return PlanView(plan, domains, steps, done, overdue)


def history(person: Person) -> list[Plan]:
    """Every version of the person's plan, the latest first, with its number of goals."""
    return list(
        Plan.objects.filter(person=person)
        .annotate(goal_count=Count("goals"))
        .select_related("countersigned_by", "created_by")
        .order_by("-number")
    )


def to_countersign(user: User) -> QuerySet[Plan]:
    """The plans of the user's SPIP agreed with the person and waiting for a countersignature,
    the oldest agreement first."""
    people = Person.objects.visible_to(user)
    return (
        Plan.objects.filter(status=PlanStatus.A_CONTRESIGNER, person__in=people.values("pk"))
        .select_related("person", "person__referent")
        .annotate(goal_count=Count("goals"))
        .order_by("agreed_on", "pk")
    )


def _step_line(step: Step) -> str:
    parts = [f"    - {step.text} ({step.actor_label()}"]
    if step.status == StepStatus.FAIT:
        parts.append(f", fait le {short_date(step.done_on)}" if step.done_on else ", fait")
    elif step.status == StepStatus.ABANDONNE:
        parts.append(f", abandonné : {step.reason}")
    else:
        label = StepStatus(step.status).label.lower()
        due = f", échéance le {short_date(step.due_on)}" if step.due_on else ""
        parts.append(f", {label}{due}")
    return "".join(parts) + ")"


def summary(plan: Plan | None, goals: list[Goal] | None = None) -> str:
    """The plan in plain French, for the prefill of a report to the judge: its version and
    agreement, then each goal by domain with its steps (who acts, status, dates)."""
    if plan is None:
        return "Aucun plan d'accompagnement en vigueur."
    view = plan_view(plan, date.min, goals)
    head = f"Plan d'accompagnement (version {plan.number}, {PlanStatus(plan.status).label.lower()}"
    if plan.in_force_on:
        head += f" depuis le {short_date(plan.in_force_on)}"
    head += ")."
    lines = [head]
    if plan.agreed_on:
        lines.append(
            f"Accord de la personne recueilli le {short_date(plan.agreed_on)} "
            f"({plan.get_agreement_mode_display().lower()})."
        )
    if plan.person_words:
        lines.append(f"Dans ses mots : « {plan.person_words} »")
    if not view.domains:
        lines.append("Aucun objectif n'est encore fixé.")
    for domain in view.domains:
        lines.append(f"{domain.label} :")
        for goal in domain.goals:
            lines.append(f"  - Objectif : {goal.text}")
            lines.extend(_step_line(step) for step in goal.steps.all())
    lines.append(
        f"Étapes réalisées : {view.done} sur {view.steps}."
        if view.steps
        else "Aucune étape n'est encore prévue."
    )
    return "\n".join(lines)


def current_and_pending(person: Person) -> tuple[Plan | None, Plan | None]:
    """The plan in force and the one in preparation (one query)."""
    rows = list(
        Plan.objects.filter(person=person)
        .exclude(status=PlanStatus.REMPLACE)
        .select_related("countersigned_by")
    )
    return in_force_and_pending(rows)


def in_force_and_pending(versions: list[Plan]) -> tuple[Plan | None, Plan | None]:
    """Among versions of a plan, the one in force and the one in preparation (draft or waiting
    for its countersignature), the first of each."""
    in_force = next((p for p in versions if p.status == PlanStatus.EN_VIGUEUR), None)
    pending = next(
        (p for p in versions if p.status in (PlanStatus.BROUILLON, PlanStatus.A_CONTRESIGNER)),
        None,
    )
    return in_force, pending


def partner_choices() -> list[tuple[Any, str]]:
    """The active partner organisations, for the step form."""
    rows = Organisation.objects.filter(kind=OrganisationKind.PARTENAIRE, is_active=True)
    return [(org.pk, org.name) for org in rows.order_by("name")]


def step_count(goal: Goal) -> int:
    return goal.steps.count()
