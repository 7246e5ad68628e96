"""The demo shows each case of issue 13 (measures.demo.create_timeline_cases)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from parcours.measures.models import Measure
from parcours.measures.selectors import measure_reports
from parcours.rules import legal_deadlines as ld

pytestmark = pytest.mark.django_db


def test_demo_shows_incarceration_741_1_spr_and_tig_cases(settings: Any) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", people=100)
    today = timezone.localdate()
    found: dict[str, Any] = {}
    moved = []
    for m in Measure.objects.filter(created_by__username="cpip.demo").select_related("person"):
        report = measure_reports(m.person)[m.pk]
        found[m.measure_type.code + ("_ssj" if m.ssj_encouru else "")] = (m, report)
        moved.append(report.planned_end.suspended_days)
    _, report = found["sursis_probatoire_renforce"]
    due = {d.kind: d for d in report.deadlines}
    assert due[ld.OBLIGATIONS_RENFORCE].status == ld.DONE
    assert due[ld.REEVALUATION_ANNUELLE].due > today  # rolled from the recorded evaluation
    _, report = found["sursis_probatoire_ssj"]
    first = next(d for d in report.deadlines if d.kind == ld.PREMIERE_CONVOCATION)
    assert first.due == today + timedelta(days=6 + 8)
    _, report = found["tig"]
    tig = next(d for d in report.deadlines if d.kind == ld.EXECUTION_TIG)
    assert "délai de 12 mois fixé par la juridiction" in tig.explanation
    assert 80 in moved, "a probation moved by an incarceration of 80 days"
