"""The steps of the plan in force in the CPIP's "À traiter": the CPIP's steps, the person's and a
partner's once past due; kept in step by the plans' services and by the alerts' nightly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.alerts.models import IMMINENTE, PLAN_STEP, Alert, urgency_q
from parcours.alerts.services import recompute_alerts
from parcours.people.panels import person_file_url
from parcours.plans import services
from parcours.plans.todo import sync_step_alerts, wanted
from parcours.rules.vocabulary import StepActor, StepStatus

from ..helpers import text
from .factories import agree, draft, first_step, in_force, step_on

pytestmark = pytest.mark.django_db


def _step_alerts(person):
    return list(Alert.objects.filter(person=person, kind=PLAN_STEP).order_by("due_date"))


def test_the_rule_cpip_steps_always_others_once_past_due():
    today = timezone.localdate()
    assert wanted(StepActor.CPIP, today + timedelta(days=30), today)
    assert not wanted(StepActor.PERSONNE, today, today)
    assert wanted(StepActor.PERSONNE, today - timedelta(days=1), today)
    assert not wanted(StepActor.PARTENAIRE, today + timedelta(days=3), today)
    assert wanted(StepActor.PARTENAIRE, today - timedelta(days=1), today)


def test_a_plan_coming_into_force_puts_its_cpip_steps_in_a_traiter(cast, clients):
    plan = draft(cast.cpip, cast.person)
    assert _step_alerts(cast.person) == []  # a draft's steps are not to treat yet
    agree(cast.cpip, plan)
    (alert,) = _step_alerts(cast.person)
    step = first_step(plan)
    assert alert.origin == step.public_id
    assert alert.label == "Étape du plan (CPIP) : Étape 1"
    assert alert.due_date == step.due_on
    assert "objectif « Objectif 1 », domaine Logement" in alert.explanation
    page = text(clients["cpip"].get(reverse("alerts:todo")))
    assert "Étape du plan (CPIP) : Étape 1" in page
    assert person_file_url(cast.person.public_id, "plan") in page
    # A colleague CPIP does not see another caseload's steps; the encadrement sees the SPIP's.
    assert "Étape du plan" not in text(clients["cpip2"].get(reverse("alerts:todo")))
    assert "Étape du plan (CPIP) : Étape 1" in text(clients["dpip"].get(reverse("alerts:todo")))


def test_the_person_step_appears_the_night_after_its_date(cast):
    plan = in_force(cast.cpip, cast.person)
    today = timezone.localdate()
    step = step_on(plan, actor=StepActor.PERSONNE, due_on=today + timedelta(days=2), text="CV")
    sync_step_alerts(person_ids=[cast.person.pk])
    assert [a.label for a in _step_alerts(cast.person)] == ["Étape du plan (CPIP) : Étape 1"]
    # The alerts' nightly runs the plans' source: three days later the person's step is late.
    recompute_alerts(today=today + timedelta(days=3))
    labels = [a.label for a in _step_alerts(cast.person)]
    assert "Étape du plan (la personne) : CV" in labels
    alert = Alert.objects.get(origin=step.public_id)
    assert "faites le point avec la personne" in alert.explanation
    assert alert.spip_id == cast.person.spip_id  # the SPIP's list reads it (alerts.selectors)
    # Done: it leaves the list at once.
    services.set_step_status(cast.cpip, step, status=StepStatus.FAIT, expected_version=1)
    assert not Alert.objects.filter(origin=step.public_id).exists()


def test_a_partner_step_past_due_names_the_partner(cast):
    plan = in_force(cast.cpip, cast.person)
    step = step_on(
        plan, actor=StepActor.PARTENAIRE, due_on=timezone.localdate() - timedelta(days=5)
    )
    step.partner = cast.partner
    step.save()
    sync_step_alerts(person_ids=[cast.person.pk])
    alert = Alert.objects.get(origin=step.public_id)
    assert alert.label == "Étape du plan (France Travail Lille) : Étape"
    assert Alert.objects.filter(urgency_q("depassee", timezone.localdate()), pk=alert.pk).exists()


def test_a_cpip_step_due_within_a_week_counts_as_imminent(cast):
    in_force(cast.cpip, cast.person)  # its CPIP step is due in 10 days
    today = timezone.localdate()
    alerts = Alert.objects.filter(kind=PLAN_STEP)
    assert not alerts.filter(urgency_q(IMMINENTE, today)).exists()
    assert alerts.filter(urgency_q(IMMINENTE, today + timedelta(days=4))).exists()
    alert = alerts.get()
    assert alert.urgency_on(today + timedelta(days=4))[0] == IMMINENTE


def test_the_legal_recomputation_keeps_the_step_alerts_and_a_new_version_moves_them(cast):
    plan = in_force(cast.cpip, cast.person)
    recompute_alerts(person_ids=[cast.person.pk])
    assert len(_step_alerts(cast.person)) == 1
    # A new version in force: the old steps leave, the copies come in.
    second = services.start_plan(cast.cpip, cast.person)
    agree(cast.cpip, second)
    (alert,) = _step_alerts(cast.person)
    assert alert.origin == first_step(second).public_id != first_step(plan).public_id


def test_the_legal_alerts_panel_leaves_the_steps_to_the_plan_panel(cast, clients):
    in_force(cast.cpip, cast.person)
    page = text(clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id])))
    alerts_panel = page.split('id="alertes"')[1].split("</section>")[0]
    assert "Étape du plan" not in alerts_panel
