"""The demo's assessments: a third of the Lille caseload, every state the screens show."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from parcours.accounts.models import User
from parcours.assessments.models import Assessment, DigitalSelfAssessment
from parcours.assessments.selectors import delay_indicator, to_do
from parcours.rules.vocabulary import AssessmentKind, AssessmentStatus

pytestmark = pytest.mark.django_db


def test_demo_assessments_cover_the_screens_and_are_idempotent(settings) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", people=120)
    assessments = Assessment.objects.all()
    assert assessments.filter(
        kind=AssessmentKind.INITIALE, status=AssessmentStatus.TERMINEE
    ).exists()
    assert assessments.filter(status=AssessmentStatus.BROUILLON).exists()
    assert assessments.filter(
        kind=AssessmentKind.REEXAMEN, status=AssessmentStatus.TERMINEE
    ).exists()
    assert DigitalSelfAssessment.objects.exists()
    counts = (assessments.count(), DigitalSelfAssessment.objects.count())
    call_command("seed_demo", people=120)
    assert (Assessment.objects.count(), DigitalSelfAssessment.objects.count()) == counts
    dpip = User.objects.get(username="dpip.demo")
    today = timezone.localdate()
    figures = delay_indicator(dpip.spip_id, today)
    assert figures.due > 0
    cpip = User.objects.get(username="cpip.demo")
    assert any(row.overdue for row in to_do(cpip, today))
