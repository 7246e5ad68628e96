"""Writes of the individual plan. Each takes the acting user and plain data, runs in one
transaction and journals inside it; edited records are versioned (core.locking: a stale form is
refused with a 409).

- `start_plan`: the first draft, or "Nouvelle version" (a copy of the plan in force).
- goals and steps of a draft: `add_goal`, `update_goal`, `delete_goal`, `add_step`,
  `update_step`, `delete_step` (each also moves the plan's version, so an agreement recorded on
  a page read before the change is refused);
- `set_step_status`: the progress of a step (on the draft or the plan in force);
- `record_agreement`: the person's agreement (date, how, their words); the plan comes into force,
  or waits for the DPIP's countersignature where the SPIP asks it (`PlanSettings`);
- `countersign` / `return_to_draft`: the DPIP's decision;
- `update_settings`: the SPIP's countersignature setting.

The steps of the plan in force feed the CPIP's "À traiter" (`todo.sync_step_alerts`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import Refused
from parcours.core.locking import update_if_version
from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.people.services import journal_details
from parcours.rules.vocabulary import PlanStatus, StepActor, StepStatus

from .models import PENDING_PLAN_STATUSES, Goal, Plan, PlanSettings, Step
from .todo import sync_step_alerts

ALREADY_PENDING = (
    "Une version du plan est déjà en préparation : complétez-la plutôt que d'en ouvrir une autre."
)
NOT_DRAFT = (
    "Ce plan n'est plus un brouillon : ses objectifs et ses étapes ne se modifient plus. "
    "Ouvrez une nouvelle version pour les changer."
)
NO_GOAL = "Ajoutez au moins un objectif avant de recueillir l'accord de la personne."
NOT_AWAITING = "Ce plan n'attend pas de contresignature."
CLOSED_PLAN = "Ce plan a été remplacé : ses étapes ne se modifient plus."
REASON_NEEDED = "Indiquez pourquoi l'étape est abandonnée."
PARTNER_NEEDED = "Choisissez le partenaire ou précisez-le en quelques mots."
BAD_PARTNER = "Ce partenaire n'existe pas ou n'est plus actif."
OTHER_MEASURE = "Cette mesure n'est pas celle de la personne."

# What a new version copies of each step of the plan in force: the step, its progress, and its
# lineage (a referral made from an earlier version follows the step: Step.lineage).
STEP_FIELDS = ("text", "actor", "partner_id", "partner_detail", "due_on", "order")
PROGRESS_FIELDS = ("status", "reason", "done_on")
COPIED_STEP_FIELDS = (*STEP_FIELDS, *PROGRESS_FIELDS, "lineage")


def countersignature_required(spip_id: int | None) -> bool:
    if spip_id is None:
        return False
    return PlanSettings.objects.filter(spip_id=spip_id, countersignature_required=True).exists()


def _touch(plan: Plan) -> None:
    """The plan's content changed: its version moves (an agreement read before is stale)."""
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())
    plan.version += 1


def _write(obj: Plan | Goal | Step, values: dict[str, Any], expected_version: int | None) -> None:
    """`UPDATE … WHERE version = expected` (409 when stale), then the object follows."""
    update_if_version(type(obj).objects.filter(pk=obj.pk), expected_version, **values)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.version = (expected_version or 0) + 1


def _update(
    actor: User,
    obj: Plan | Step,
    values: dict[str, Any],
    expected_version: int | None,
    **details: Any,
) -> None:
    """`_write`, then the modification journaled on the person's file with its details."""
    person = obj.person if isinstance(obj, Plan) else obj.goal.plan.person
    _write(obj, values, expected_version)
    journal_details(AuditAction.MODIFICATION, actor, obj, person, **details)


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.BROUILLON:
        raise Refused(NOT_DRAFT)


@transaction.atomic
def start_plan(actor: User, person: Person, *, measure: Measure | None = None) -> Plan:
    """A new draft: the first plan of the person, or a copy of the plan in force (its goals and
    steps, with their progress) as the next version."""
    # Locks the person's plans: two "Nouvelle version" at once make one draft, not two.
    plans = list(Plan.objects.select_for_update().filter(person=person))
    if any(p.status in PENDING_PLAN_STATUSES for p in plans):
        raise Refused(ALREADY_PENDING)
    if measure is not None and measure.person_id != person.pk:
        raise Refused(OTHER_MEASURE)
    in_force = next((p for p in plans if p.status == PlanStatus.EN_VIGUEUR), None)
    number = max((p.number for p in plans), default=0) + 1
    plan = Plan.objects.create(
        person=person,
        measure=measure or (in_force.measure if in_force else None),
        number=number,
        status=PlanStatus.BROUILLON,
        created_by=actor,
    )
    if in_force is not None:
        _copy_content(in_force, plan)
    journal_details(
        AuditAction.CREATION,
        actor,
        plan,
        person,
        version=number,
        copie_de=in_force.number if in_force else None,
    )
    return plan


def _copy_content(source: Plan, target: Plan) -> None:
    goals = list(source.goals.prefetch_related("steps"))
    copies = Goal.objects.bulk_create(
        Goal(plan=target, domain=g.domain, text=g.text, order=g.order) for g in goals
    )
    Step.objects.bulk_create(
        Step(goal=copy, **{name: getattr(s, name) for name in COPIED_STEP_FIELDS})
        for goal, copy in zip(goals, copies, strict=True)
        for s in goal.steps.all()
    )


@transaction.atomic
def add_goal(actor: User, plan: Plan, *, domain: str, text: str) -> Goal:
    _require_draft(plan)
    order = (plan.goals.aggregate(m=Max("order"))["m"] or 0) + 1
    goal = Goal.objects.create(plan=plan, domain=domain, text=text.strip(), order=order)
    _touch(plan)
    journal_details(
        AuditAction.CREATION, actor, goal, plan.person, plan=plan.number, domaine=domain
    )
    return goal


@transaction.atomic
def update_goal(
    actor: User, goal: Goal, *, domain: str, text: str, expected_version: int | None
) -> Goal:
    _require_draft(goal.plan)
    _write(goal, {"domain": domain, "text": text.strip()}, expected_version)
    _touch(goal.plan)
    journal_details(AuditAction.MODIFICATION, actor, goal, goal.plan.person, domaine=domain)
    return goal


@transaction.atomic
def delete_goal(actor: User, goal: Goal, *, expected_version: int | None) -> None:
    """Removes a goal of a draft and its steps (after the page's confirmation)."""
    plan = goal.plan
    _require_draft(plan)
    update_if_version(Goal.objects.filter(pk=goal.pk), expected_version)
    steps = goal.steps.count()
    label = goal.text
    goal.delete()
    _touch(plan)
    journal_details(
        AuditAction.MODIFICATION,
        actor,
        plan,
        plan.person,
        suppression="objectif",
        objectif=label[:100],
        etapes=steps,
    )


@dataclass(frozen=True)
class StepData:
    text: str
    actor: str
    partner_id: int | None = None
    partner_detail: str = ""
    due_on: date | None = None


def _step_values(data: StepData) -> dict[str, Any]:
    partner_id = data.partner_id if data.actor == StepActor.PARTENAIRE else None
    detail = data.partner_detail.strip() if data.actor == StepActor.PARTENAIRE else ""
    if data.actor == StepActor.PARTENAIRE:
        if partner_id is None and not detail:
            raise Refused(PARTNER_NEEDED)
        if (
            partner_id is not None
            and not Organisation.objects.filter(
                pk=partner_id, kind=OrganisationKind.PARTENAIRE, is_active=True
            ).exists()
        ):
            raise Refused(BAD_PARTNER)
    return {
        "text": data.text.strip(),
        "actor": data.actor,
        "partner_id": partner_id,
        "partner_detail": detail,
        "due_on": data.due_on,
    }


@transaction.atomic
def add_step(actor: User, goal: Goal, data: StepData) -> Step:
    plan = goal.plan
    _require_draft(plan)
    order = (goal.steps.aggregate(m=Max("order"))["m"] or 0) + 1
    step = Step.objects.create(goal=goal, order=order, updated_by=actor, **_step_values(data))
    _touch(plan)
    journal_details(
        AuditAction.CREATION, actor, step, plan.person, plan=plan.number, acteur=data.actor
    )
    return step


@transaction.atomic
def update_step(actor: User, step: Step, data: StepData, *, expected_version: int | None) -> Step:
    plan = step.goal.plan
    _require_draft(plan)
    values = _step_values(data)
    _write(step, {**values, "updated_by": actor}, expected_version)
    _touch(plan)
    journal_details(AuditAction.MODIFICATION, actor, step, plan.person, acteur=data.actor)
    return step


@transaction.atomic
def delete_step(actor: User, step: Step, *, expected_version: int | None) -> None:
    plan = step.goal.plan
    _require_draft(plan)
    update_if_version(Step.objects.filter(pk=step.pk), expected_version)
    label = step.text
    step.delete()
    _touch(plan)
    journal_details(
        AuditAction.MODIFICATION, actor, plan, plan.person, suppression="etape", etape=label[:100]
    )


@transaction.atomic
def set_step_status(
    actor: User,
    step: Step,
    *,
    status: str,
    reason: str = "",
    done_on: date | None = None,
    expected_version: int | None,
) -> Step:
    """Moves a step on: à faire, en cours, fait (its date, today by default), abandonné (with a
    reason). Allowed on the draft and on the plan in force (its progress), not on a plan
    replaced."""
    plan = step.goal.plan
    if plan.status == PlanStatus.REMPLACE:
        raise Refused(CLOSED_PLAN)
    reason = reason.strip()
    if status == StepStatus.ABANDONNE and not reason:
        raise Refused(REASON_NEEDED)
    values = {
        "status": status,
        "reason": reason if status == StepStatus.ABANDONNE else "",
        "done_on": (done_on or timezone.localdate()) if status == StepStatus.FAIT else None,
        "updated_by": actor,
    }
    _update(actor, step, values, expected_version, etat=status)
    if plan.status == PlanStatus.EN_VIGUEUR:
        sync_step_alerts(person_ids=[plan.person_id])
    return step


def _bring_into_force(plan: Plan, today: date) -> None:
    """The plan becomes the one in force; the former one is replaced (the unique constraint
    allows one plan in force: the former one leaves first)."""
    Plan.objects.filter(person_id=plan.person_id, status=PlanStatus.EN_VIGUEUR).exclude(
        pk=plan.pk
    ).update(
        status=PlanStatus.REMPLACE,
        replaced_on=today,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    plan.status, plan.in_force_on = PlanStatus.EN_VIGUEUR, today


@transaction.atomic
def record_agreement(
    actor: User,
    plan: Plan,
    *,
    agreed_on: date,
    mode: str,
    person_words: str = "",
    expected_version: int | None,
) -> Plan:
    """The person's agreement to the draft (date, how, in their own words). The plan comes into
    force at once, or waits for the DPIP's countersignature where the SPIP requires it."""
    _require_draft(plan)
    if not plan.goals.exists():
        raise Refused(NO_GOAL)
    today = timezone.localdate()
    waits = countersignature_required(plan.person.spip_id)
    values: dict[str, Any] = {
        "agreed_on": agreed_on,
        "agreement_mode": mode,
        "person_words": person_words.strip(),
    }
    if waits:
        values["status"] = PlanStatus.A_CONTRESIGNER
    else:
        _bring_into_force(plan, today)
        values.update(status=PlanStatus.EN_VIGUEUR, in_force_on=today)
    _update(
        actor,
        plan,
        values,
        expected_version,
        accord=agreed_on.isoformat(),
        modalite=mode,
        etat=values["status"],
    )
    if plan.status == PlanStatus.EN_VIGUEUR:
        sync_step_alerts(person_ids=[plan.person_id])
    return plan


@transaction.atomic
def countersign(actor: User, plan: Plan, *, expected_version: int | None) -> Plan:
    """The DPIP countersigns an agreed plan: it comes into force."""
    if plan.status != PlanStatus.A_CONTRESIGNER:
        raise Refused(NOT_AWAITING)
    today = timezone.localdate()
    now = timezone.now()
    _bring_into_force(plan, today)
    values = {
        "status": PlanStatus.EN_VIGUEUR,
        "in_force_on": today,
        "countersigned_by": actor,
        "countersigned_at": now,
    }
    _update(actor, plan, values, expected_version, contresignature=True)
    sync_step_alerts(person_ids=[plan.person_id])
    return plan


@transaction.atomic
def return_to_draft(actor: User, plan: Plan, *, comment: str, expected_version: int | None) -> Plan:
    """The DPIP does not countersign: the plan goes back to the CPIP as a draft (the agreement
    is to be recorded again on the plan as changed)."""
    if plan.status != PlanStatus.A_CONTRESIGNER:
        raise Refused(NOT_AWAITING)
    values = {"status": PlanStatus.BROUILLON, "agreed_on": None, "agreement_mode": ""}
    _update(
        actor,
        plan,
        values,
        expected_version,
        contresignature=False,
        commentaire=comment.strip()[:500],
    )
    return plan


@transaction.atomic
def update_settings(
    actor: User | None, spip: Organisation, *, countersignature_required: bool
) -> None:
    PlanSettings.objects.update_or_create(
        spip=spip,
        defaults={"countersignature_required": countersignature_required, "updated_by": actor},
    )
    record(
        AuditAction.MODIFICATION,
        actor=actor,
        obj=spip,
        spip_id=spip.pk,
        details={"contresignature_plans": countersignature_required},
    )
