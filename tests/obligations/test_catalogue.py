"""The obligation catalogue: every CP 132-44 control measure and CP 132-45 obligation, as data."""

from __future__ import annotations

import json
from datetime import date

import pytest

from parcours.obligations.loader import DATA_FILE, load_obligation_types
from parcours.obligations.models import ObligationCategory, ObligationType
from parcours.obligations.parameters import ParameterType

pytestmark = pytest.mark.django_db

CONTROL = [f"{n}°" for n in range(1, 7)]
PARTICULAR = [f"{n}°" for n in range(1, 26)] + ["7° bis", "18° bis"]


def test_every_control_measure_and_obligation_is_in_the_catalogue() -> None:
    current = ObligationType.objects.current()
    control = current.filter(article__startswith="CP art. 132-44 ")
    particular = current.filter(article__startswith="CP art. 132-45 ")
    assert sorted(control.values_list("number", flat=True)) == sorted(CONTROL)
    assert sorted(particular.values_list("number", flat=True)) == sorted(PARTICULAR)
    assert current.count() == len(CONTROL) + len(PARTICULAR) == 33
    for item in current:
        assert item.article.endswith(item.number), item.code
        assert item.label and item.version_date == date(2023, 1, 1)
        assert item.category in ObligationCategory.values
    assert set(control.values_list("category", flat=True)) == {ObligationCategory.MESURE_CONTROLE}
    assert current.get(code="cp_132_45_7_bis").article == "CP art. 132-45 7° bis"
    assert current.get(code="cp_132_45_18_bis").number == "18° bis"


def test_defaults_follow_the_domain() -> None:
    care = ObligationType.objects.get(code="cp_132_45_3")
    assert care.default_proof_type == "attestation de soins"
    assert care.default_cadence_months == 1
    assert ObligationType.objects.get(code="cp_132_45_2").default_proof_type == (
        "justificatif de domicile"
    )
    assert "quittances" in ObligationType.objects.get(code="cp_132_45_5").default_proof_type
    # Prohibitions have no periodic proof.
    for item in ObligationType.objects.filter(category=ObligationCategory.INTERDICTION):
        assert item.default_proof_type == "", item.code
        assert item.default_cadence_months is None, item.code
    for code in ("cp_132_45_13", "cp_132_45_14", "cp_132_45_9", "cp_132_45_18_bis"):
        assert ObligationType.objects.get(code=code).category == ObligationCategory.INTERDICTION


def test_parameter_definitions_are_well_formed() -> None:
    for item in ObligationType.objects.all():
        names = [d["name"] for d in item.parameters]
        assert len(names) == len(set(names)), item.code
        for definition in item.parameters:
            assert definition["type"] in ParameterType.values, (item.code, definition)
            assert definition["label"][0].isupper(), (item.code, definition)
    zone = ObligationType.objects.get(code="cp_132_45_9").parameters
    assert {d["type"] for d in zone} == {"zone", "distance"}


def test_loader_is_idempotent() -> None:
    before = ObligationType.objects.count()
    assert load_obligation_types(ObligationType) == 0
    assert ObligationType.objects.count() == before
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert len(data["obligation_types"]) == before
