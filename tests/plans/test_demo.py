"""The plans' demo: a third of the Lille antenna's caseload, every state, idempotent."""

from __future__ import annotations

import pytest

from parcours.accounts import demo as accounts
from parcours.alerts.models import PLAN_STEP, Alert
from parcours.people import demo as people
from parcours.plans import demo
from parcours.plans.models import Plan, PlanSettings, Step
from parcours.rules.vocabulary import PlanStatus, StepActor, StepStatus

pytestmark = pytest.mark.django_db


def test_demo_plans_cover_every_state_and_are_idempotent(settings):
    orgs = accounts.ensure_organisations()
    users = accounts.ensure_accounts(orgs, settings.DEMO_PASSWORD)
    people.create_people(orgs, users, 150, 7)
    counts = demo.seed(orgs, users)
    followed = Plan.objects.values("person").distinct().count()
    in_lille = sum(1 for _ in demo._people(orgs))
    assert followed == in_lille > 5
    statuses = set(Plan.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in PlanStatus}
    assert set(Step.objects.values_list("status", flat=True)) == {s.value for s in StepStatus}
    partner_steps = Step.objects.filter(actor=StepActor.PARTENAIRE, partner__isnull=False)
    assert partner_steps.filter(partner=orgs[demo.PARTNER_KEY]).exists()
    assert PlanSettings.objects.get(spip=orgs["spip59"]).countersignature_required
    assert (
        counts["plans_to_countersign"]
        == Plan.objects.filter(status=PlanStatus.A_CONTRESIGNER).count()
        > 0
    )
    assert Alert.objects.filter(kind=PLAN_STEP).exists()
    before = Plan.objects.count()
    assert demo.seed(orgs, users) == {"plans": 0, "plans_drafts": 0, "plans_to_countersign": 0}
    assert Plan.objects.count() == before
