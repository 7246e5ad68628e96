"""The plan's services: versions (a copy of the plan in force, the plan in force read-only),
the person's agreement, the countersignature, the steps' statuses, optimistic locking, journal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.audit.models import AuditEvent
from parcours.core.errors import ConflictError, Refused
from parcours.plans import selectors, services
from parcours.plans.models import Plan, PlanSettings, Step
from parcours.plans.services import StepData
from parcours.rules.vocabulary import PlanStatus, StepActor, StepStatus

from .factories import agree, draft, first_goal, first_step, in_force

pytestmark = pytest.mark.django_db


def _agree(actor, plan, **kwargs):
    return agree(actor, plan, mode=kwargs.pop("mode", "signature_papier"), **kwargs)


def test_a_first_plan_is_a_draft_numbered_one_and_journaled(cast):
    plan = services.start_plan(cast.cpip, cast.person)
    assert (plan.number, plan.status) == (1, PlanStatus.BROUILLON)
    assert AuditEvent.objects.filter(object_id=str(plan.public_id), action="creation").exists()
    with pytest.raises(Refused, match="déjà en préparation"):
        services.start_plan(cast.cpip, cast.person)


def test_agreement_brings_the_plan_into_force_with_its_date_mode_and_words(cast):
    plan = draft(cast.cpip, cast.person, goals=2)
    plan = _agree(cast.cpip, plan, person_words="Je veux un logement à moi.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EN_VIGUEUR
    assert plan.in_force_on == timezone.localdate()
    assert plan.agreement_mode == "signature_papier"
    assert plan.person_words == "Je veux un logement à moi."
    assert selectors.plan_in_force(cast.person) == plan


def test_agreement_needs_a_goal_and_a_current_version(cast):
    plan = services.start_plan(cast.cpip, cast.person)
    with pytest.raises(Refused, match="au moins un objectif"):
        _agree(cast.cpip, plan)
    services.add_goal(cast.cpip, plan, domain="emploi", text="Trouver une formation")
    # The page was read before the goal was added: its version is stale.
    with pytest.raises(ConflictError):
        services.record_agreement(
            cast.cpip, plan, agreed_on=timezone.localdate(), mode="entretien", expected_version=1
        )


def test_new_version_copies_goals_and_steps_and_replaces_the_former_on_agreement(cast):
    first = in_force(cast.cpip, cast.person, goals=2)
    step = first_step(first)
    services.set_step_status(cast.cpip, step, status=StepStatus.FAIT, expected_version=step.version)
    second = services.start_plan(cast.cpip, cast.person)
    assert second.number == 2 and second.status == PlanStatus.BROUILLON
    copied = list(Step.objects.filter(goal__plan=second).order_by("pk"))
    assert [s.text for s in copied] == ["Étape 1", "Étape 2"]
    assert copied[0].status == StepStatus.FAIT  # the progress is copied with the step
    assert [g.text for g in second.goals.all()] == ["Objectif 1", "Objectif 2"]
    # The copy is a new row: editing it leaves version 1 as it was.
    services.update_goal(
        cast.cpip, first_goal(second), domain="logement", text="Changé", expected_version=1
    )
    assert first_goal(first).text == "Objectif 1"
    _agree(cast.cpip, second)
    first.refresh_from_db()
    assert first.status == PlanStatus.REMPLACE and first.replaced_on == timezone.localdate()
    assert selectors.plan_in_force(cast.person).number == 2
    assert [p.number for p in selectors.history(cast.person)] == [2, 1]


def test_the_plan_in_force_is_read_only_but_its_steps_move_on(cast):
    plan = in_force(cast.cpip, cast.person)
    goal = first_goal(plan)
    step = first_step(plan)
    with pytest.raises(Refused, match="n'est plus un brouillon"):
        services.add_goal(cast.cpip, plan, domain="sante", text="x")
    with pytest.raises(Refused, match="n'est plus un brouillon"):
        services.update_goal(cast.cpip, goal, domain="sante", text="x", expected_version=1)
    with pytest.raises(Refused, match="n'est plus un brouillon"):
        services.delete_step(cast.cpip, step, expected_version=step.version)
    with pytest.raises(Refused, match="n'est plus un brouillon"):
        services.add_step(cast.cpip, goal, StepData(text="x", actor=StepActor.CPIP))
    services.set_step_status(
        cast.cpip, step, status=StepStatus.EN_COURS, expected_version=step.version
    )
    step.refresh_from_db()
    assert step.status == StepStatus.EN_COURS


def test_a_replaced_plan_refuses_any_change(cast):
    first = in_force(cast.cpip, cast.person)
    second = services.start_plan(cast.cpip, cast.person)
    _agree(cast.cpip, second)
    step = first_step(first)
    with pytest.raises(Refused, match="remplacé"):
        services.set_step_status(
            cast.cpip, step, status=StepStatus.FAIT, expected_version=step.version
        )


def test_step_statuses_done_date_and_abandon_reason(cast):
    plan = in_force(cast.cpip, cast.person)
    step = first_step(plan)
    with pytest.raises(Refused, match="pourquoi"):
        services.set_step_status(
            cast.cpip, step, status=StepStatus.ABANDONNE, expected_version=step.version
        )
    yesterday = timezone.localdate() - timedelta(days=1)
    services.set_step_status(
        cast.cpip, step, status=StepStatus.FAIT, done_on=yesterday, expected_version=1
    )
    step.refresh_from_db()
    assert (step.status, step.done_on) == (StepStatus.FAIT, yesterday)
    services.set_step_status(
        cast.cpip,
        step,
        status=StepStatus.ABANDONNE,
        reason="  Plus d'actualité  ",
        expected_version=2,
    )
    step.refresh_from_db()
    assert (step.status, step.reason, step.done_on) == (
        StepStatus.ABANDONNE,
        "Plus d'actualité",
        None,
    )
    with pytest.raises(ConflictError):
        services.set_step_status(cast.cpip, step, status=StepStatus.A_FAIRE, expected_version=2)


def test_the_database_refuses_an_abandoned_step_without_reason(cast):
    plan = draft(cast.cpip, cast.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.filter(goal__plan=plan).update(status=StepStatus.ABANDONNE, reason="")


def test_the_database_refuses_two_plans_in_force(cast):
    in_force(cast.cpip, cast.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(person=cast.person, number=9, status=PlanStatus.EN_VIGUEUR)


def test_partner_step_needs_a_partner_or_a_detail_and_keeps_the_partner(cast):
    plan = draft(cast.cpip, cast.person)
    goal = first_goal(plan)
    with pytest.raises(Refused, match="partenaire"):
        services.add_step(cast.cpip, goal, StepData(text="Inscription", actor="partenaire"))
    step = services.add_step(
        cast.cpip,
        goal,
        StepData(text="Inscription", actor="partenaire", partner_id=cast.partner.pk),
    )
    assert step.partner == cast.partner
    assert step.actor_label() == "Partenaire : France Travail Lille"
    tribunal = Organisation.objects.get(kind=OrganisationKind.TRIBUNAL)
    with pytest.raises(Refused, match="partenaire"):
        services.add_step(
            cast.cpip, goal, StepData(text="x", actor="partenaire", partner_id=tribunal.pk)
        )
    # The partner is dropped when the step is given to the person.
    services.update_step(
        cast.cpip,
        step,
        StepData(text="Inscription", actor="personne", partner_id=cast.partner.pk),
        expected_version=1,
    )
    step.refresh_from_db()
    assert step.partner is None and step.actor == "personne"


def test_deleting_a_goal_removes_its_steps_and_is_journaled(cast):
    plan = draft(cast.cpip, cast.person, goals=2)
    goal = first_goal(plan)
    services.delete_goal(cast.cpip, goal, expected_version=goal.version)
    assert [g.text for g in plan.goals.all()] == ["Objectif 2"]
    assert Step.objects.filter(goal__plan=plan).count() == 1
    event = AuditEvent.objects.filter(object_id=str(plan.public_id)).order_by("-id").first()
    assert event.details["suppression"] == "objectif"


def test_countersignature_flow(cast):
    PlanSettings.objects.create(spip=cast.spip, countersignature_required=True)
    first = in_force(cast.cpip, cast.person)  # agreed: waits for the DPIP
    first.refresh_from_db()
    assert first.status == PlanStatus.A_CONTRESIGNER
    assert selectors.plan_in_force(cast.person) is None
    assert list(selectors.to_countersign(cast.dpip)) == [first]
    assert list(selectors.to_countersign(cast.cpip_autre)) == []
    with pytest.raises(Refused, match="n'est plus un brouillon"):
        services.add_goal(cast.cpip, first, domain="emploi", text="x")
    services.countersign(cast.dpip, first, expected_version=first.version)
    first.refresh_from_db()
    assert first.status == PlanStatus.EN_VIGUEUR
    assert first.countersigned_by == cast.dpip and first.countersigned_at is not None
    with pytest.raises(Refused, match="n'attend pas"):
        services.countersign(cast.dpip, first, expected_version=first.version)
    # A second version, sent back to the CPIP: a draft again, agreement cleared.
    second = draft(cast.cpip, cast.person)
    second = _agree(cast.cpip, second)
    services.return_to_draft(
        cast.dpip, second, comment="Préciser l'échéance", expected_version=second.version
    )
    second.refresh_from_db()
    assert second.status == PlanStatus.BROUILLON and second.agreed_on is None
    first.refresh_from_db()
    assert first.status == PlanStatus.EN_VIGUEUR  # untouched until a version comes into force


def test_summary_in_french_for_the_report(cast):
    assert selectors.summary(None) == "Aucun plan d'accompagnement en vigueur."
    plan = draft(cast.cpip, cast.person, goals=2)
    goal = first_goal(plan)
    services.add_step(
        cast.cpip,
        goal,
        StepData(text="Inscription", actor="partenaire", partner_id=cast.partner.pk),
    )
    plan = _agree(cast.cpip, plan, mode="entretien", person_words="Avancer pas à pas")
    text = selectors.summary(selectors.plan_in_force(cast.person))
    assert text.startswith("Plan d'accompagnement (version 1, en vigueur depuis le ")
    assert "Accord de la personne recueilli le" in text and "(accord exprimé en entretien)" in text
    assert "Dans ses mots : « Avancer pas à pas »" in text
    assert (
        "Logement :\n  - Objectif : Objectif 1\n    - Étape 1 (Le CPIP, à faire, échéance" in text
    )
    assert "    - Inscription (Partenaire : France Travail Lille, à faire)" in text
    assert "Emploi et formation :" in text
    assert text.endswith("Étapes réalisées : 0 sur 3.")


def test_settings_are_per_spip(cast):
    services.update_settings(cast.dpip, cast.spip, countersignature_required=True)
    assert services.countersignature_required(cast.spip.pk)
    assert not services.countersignature_required(cast.other_spip.pk)
    services.update_settings(cast.dpip, cast.spip, countersignature_required=False)
    assert not services.countersignature_required(cast.spip.pk)
