"""Reports to the judge prefilled from the accompaniment (issue 17): the latest finished
assessment and the plan in force, on the template versions from 6 December 2026."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.reports import services
from parcours.reports.prefill import PrefillContext, prefill_content
from parcours.reports.templates_data import template_for
from tests.conftest import Cast

from ..assessments.factories import ALL_JUDGED, finished
from ..plans.factories import in_force

pytestmark = pytest.mark.django_db
TODAY = date(2027, 3, 16)


def sections(kind: str) -> list[dict]:
    return template_for(kind, TODAY)["sections"]


def test_without_assessment_or_plan_the_sections_say_so(cast: Cast) -> None:
    content = prefill_content(sections("evaluation"), PrefillContext(cast.person, None, TODAY))
    assert content["evaluation"] == "Aucune évaluation structurée terminée."
    assert content["plan"] == "Aucun plan d'accompagnement en vigueur."


def test_the_evaluation_report_recalls_the_assessment_and_the_plan(cast: Cast) -> None:
    finished(
        cast.person,
        judgements=ALL_JUDGED
        | {
            "logement": {
                "need": "important",
                "reasons": "Hébergé chez un tiers jusqu'en avril.",
                "person_view": "Je veux un studio près du travail.",
            },
        },
    )
    in_force(cast.cpip, cast.person, goals=2)
    content = prefill_content(sections("evaluation"), PrefillContext(cast.person, None, TODAY))
    text = content["evaluation"]
    assert text.startswith("Évaluation initiale terminée le ")
    assert "Logement : besoin important. Motifs : Hébergé chez un tiers jusqu'en avril." in text
    assert "Point de vue de la personne : « Je veux un studio près du travail. »" in text
    plan = content["plan"]
    assert plan.startswith("Plan d'accompagnement (version 1, en vigueur")
    assert "Objectif : Objectif 1" in plan and "Objectif : Objectif 2" in plan


def test_situation_and_end_reports_carry_the_plan_section(cast: Cast) -> None:
    in_force(cast.cpip, cast.person)
    for kind in ("situation", "fin_mesure"):
        keys = [section["key"] for section in sections(kind)]
        assert "plan" in keys, kind
    report = services.create_report(
        acting_user=cast.cpip, person=cast.person, kind="situation", today=TODAY
    )
    assert "Objectif : Objectif 1" in report.content["plan"]


def test_a_report_begun_before_the_new_versions_keeps_its_sections(cast: Cast) -> None:
    earlier = template_for("situation", date(2026, 12, 5))["sections"]
    assert "plan" not in [section["key"] for section in earlier]
