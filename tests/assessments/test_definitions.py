"""The questionnaire files and the pure rules of rules/assessments.py."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from parcours.assessments.definitions import DATA_DIR, read_files
from parcours.rules import assessments as rules

GOOD: dict[str, Any] = {
    "code": "essai",
    "version": "1",
    "effective_from": "2026-01-01",
    "title": "Essai",
    "domains": [
        {
            "code": "logement",
            "questions": [
                {"id": "logement.stable", "label": "Stable", "type": "yes_no"},
                {
                    "id": "logement.type",
                    "label": "Type",
                    "type": "single_choice",
                    "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                },
            ],
        },
        {
            "code": "forces",
            "judged": False,
            "questions": [{"id": "forces.projet", "label": "Projet", "type": "short_text"}],
        },
    ],
}


def mutated(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the value at `path` ("domains.0.questions.1.type") replaced (or removed)."""
    data = copy.deepcopy(GOOD)
    *steps, last = path.split(".")
    target: Any = data
    for step in steps:
        target = target[int(step)] if step.isdigit() else target[step]
    key: Any = int(last) if last.isdigit() else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    return data


DELETE = object()


def test_every_file_of_the_repository_is_valid_and_covers_the_domains() -> None:
    found = read_files()
    codes = {q.code for q, _, _ in found}
    assert {"evaluation", "numerique"} <= codes
    evaluation = next(q for q, _, _ in found if q.code == "evaluation")
    assert [d.code for d in evaluation.domains] == [
        "logement",
        "emploi",
        "ressources",
        "sante",
        "famille",
        "reseau",
        "attitudes",
        "numerique",
        "forces",
    ]
    assert not evaluation.domain("forces").judged
    types = {q.type for q in evaluation.questions.values()}
    assert types == set(rules.AnswerType), "every answer type is used at least once"
    digital = next(q for q, _, _ in found if q.code == "numerique")
    assert len(digital.questions) <= 8, "the self-assessment stays short"


def test_a_good_definition_parses() -> None:
    q = rules.parse_questionnaire(GOOD, "essai.json")
    assert q.effective_from == date(2026, 1, 1)
    assert q.domain("logement").label == "Logement"
    assert q.questions["logement.stable"].choices == rules.YES_NO_OPTIONS


@pytest.mark.parametrize(
    ("path", "value", "names"),
    [
        ("code", DELETE, "essai.json.code"),
        ("effective_from", "01/01/2026", "essai.json.effective_from"),
        ("domains", [], "essai.json.domains"),
        ("domains.0.code", "cuisine", "domains[0].code"),
        ("domains.1.code", "logement", "domains[1].code"),
        ("domains.0.questions.0.type", "slider", "domains[0].questions[0].type"),
        ("domains.0.questions.0.id", "stable", "domains[0].questions[0].id"),
        ("domains.0.questions.1.id", "logement.stable", "domains[0].questions[1].id"),
        ("domains.0.questions.1.options", [{"value": "a", "label": "A"}], "questions[1].options"),
        ("domains.0.questions.1.options.1.value", "a", "questions[1].options"),
        ("domains.0.questions.0.label", "", "domains[0].questions[0].label"),
        ("domains.0.questions.0.label", 3, "domains[0].questions[0].label"),
        ("domains.1.judged", "non", "domains[1].judged"),
        ("domains.1.questions.0.id", "logement.projet", "domains[1].questions"),
    ],
)
def test_a_bad_definition_names_the_file_and_the_field(path: str, value: Any, names: str) -> None:
    with pytest.raises(rules.DefinitionError) as refused:
        rules.parse_questionnaire(mutated(path, value), "essai.json")
    assert names in str(refused.value)
    assert str(refused.value).startswith("essai.json")


def test_options_only_for_choices() -> None:
    data = mutated("domains.0.questions.0.options", [{"value": "a", "label": "A"}] * 2)
    with pytest.raises(rules.DefinitionError, match=r"questions\[0\]\.options"):
        rules.parse_questionnaire(data, "essai.json")


def test_unreadable_json_and_duplicate_versions(tmp_path: Path) -> None:
    with pytest.raises(rules.DefinitionError, match=r"x\.json : JSON illisible"):
        rules.load_text("{", "x.json")
    (tmp_path / "a.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(GOOD), encoding="utf-8")
    with pytest.raises(rules.DefinitionError, match="définie deux fois"):
        read_files(tmp_path)


def test_version_in_force_by_date() -> None:
    first = rules.parse_questionnaire(GOOD, "a")
    second = rules.parse_questionnaire(
        {**GOOD, "version": "2", "effective_from": "2027-01-01"}, "b"
    )
    both = [first, second]
    assert rules.in_force(both, "essai", date(2026, 6, 1)) is first
    assert rules.in_force(both, "essai", date(2027, 1, 1)) is second
    assert rules.in_force(both, "essai", date(2025, 12, 31)) is None


def test_answers_are_cleaned_or_refused_in_french() -> None:
    path = DATA_DIR / "evaluation-2026-01.json"
    q = rules.parse_questionnaire(json.loads(path.read_text(encoding="utf-8")), path.name)
    clean, problems = rules.clean_answers(
        q,
        {
            "logement.stable_6_mois": "oui",
            "ressources.sources": ["minima", "salaire"],
            "famille.enfants_a_charge": "2",
            "emploi.diplome": "  CAP  ",
            "logement.situation": "",
        },
    )
    assert problems == []
    assert clean == {
        "logement.stable_6_mois": "oui",
        "ressources.sources": ["salaire", "minima"],  # in the questionnaire's order
        "famille.enfants_a_charge": 2,
        "emploi.diplome": "CAP",
    }
    _, problems = rules.clean_answers(
        q,
        {
            "logement.stable_6_mois": "peut-être",
            "famille.enfants_a_charge": "deux",
            "emploi.diplome": "x" * 301,
            "inconnue.question": "1",
            "ressources.sources": ["tresor"],
        },
    )
    assert len(problems) == 5
    assert any("saisissez un nombre entier" in p for p in problems)
    assert any("Question inconnue" in p for p in problems)


def test_finishing_needs_a_judgement_per_judged_domain_and_reasons_for_important() -> None:
    q = rules.parse_questionnaire(GOOD, "essai")
    assert rules.finish_problems(q, {}) == ["Logement : indiquez votre appréciation du besoin."]
    important = {"logement": {"need": "important", "reasons": " "}}
    assert "motivé" in rules.finish_problems(q, important)[0]
    important["logement"]["reasons"] = "Expulsion prévue le mois prochain."
    assert rules.finish_problems(q, important) == []
    assert "confirmez" in rules.finish_problems(q, important, ["logement.stable"])[0]


def test_no_need_level_on_the_strengths_domain() -> None:
    q = rules.parse_questionnaire(GOOD, "essai")
    _, problems = rules.clean_judgement(q.domain("forces"), {"need": "important"})
    assert problems and "ne reçoit pas" in problems[0]
    _, problems = rules.clean_judgement(q.domain("logement"), {"need": "enorme"})
    assert problems == ["Logement : niveau de besoin inconnu."]


def test_need_change() -> None:
    assert rules.need_change("important", "modere") == "amélioration"
    assert rules.need_change("aucun", "important") == "aggravation"
    assert rules.need_change("modere", "modere") == "stable"
    assert rules.need_change("", "modere") == ""


def test_initial_due_date_is_the_parameter_after_the_start() -> None:
    assert rules.INITIAL_ASSESSMENT_DAYS == 90
    assert rules.initial_due_on(date(2027, 1, 1)) == date(2027, 4, 1)
    assert "pas un délai légal" in rules.INITIAL_ASSESSMENT_SOURCE


def test_delay_indicator_figures() -> None:
    today = date(2027, 3, 16)
    rows = [
        (date(2027, 1, 10), date(2027, 1, 5)),  # on time
        (date(2027, 1, 10), date(2027, 1, 10)),  # on time, on the due day
        (date(2027, 1, 10), date(2027, 2, 1)),  # late
        (date(2027, 3, 1), None),  # overdue
        (date(2027, 3, 16), None),  # due today: not overdue yet
        (None, None),  # no due date: left out
    ]
    figures = rules.delay_indicator(rows, today)
    assert (figures.due, figures.on_time, figures.late_done, figures.overdue, figures.pending) == (
        4,
        2,
        1,
        1,
        1,
    )
    assert figures.on_time_share == 0.5
    assert rules.delay_indicator([], today).on_time_share is None


def test_digital_steps_follow_the_answers() -> None:
    q = next(q for q, _, _ in read_files() if q.code == "numerique")
    none = rules.suggest_digital_steps(
        q, {"numerique.acces": "oui", "numerique.telephone": "seul", "numerique.emploi": "seul"}
    )
    assert none == []
    steps = rules.suggest_digital_steps(
        q,
        {"numerique.acces": "non", "numerique.courriel": "non", "numerique.emploi": "aide"},
    )
    keys = [s.key for s in steps]
    assert keys == [
        "acces_equipement",
        "atelier_inclusion_numerique",
        "adresse_courriel",
        "recherche_emploi_en_ligne",
    ]
    assert "Atelier d'inclusion numérique" in [s.label for s in steps]
