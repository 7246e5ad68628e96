"""The pure entry point of `manage.py measure_deadlines FILE.json` (parcours.rules.measure_json)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from parcours.rules.measure_json import MeasureInputError, deadlines_from_json

BASE = {
    "measure_type": "sursis_probatoire",
    "judgment_date": "2025-01-15",
    "executoire_on": "2025-01-26",
    "duration_months": 12,
    "as_of": "2025-06-01",
}


def run(**changes):
    data = {**BASE, **changes}
    return deadlines_from_json(json.loads(json.dumps(data)))


def kinds(output) -> dict[str, dict]:
    return {d["kind"]: d for d in output["deadlines"]}


def test_cp_132_43_incarceration_of_40_days_moves_the_planned_end():
    output = run(
        suspensions=[{"start": "2025-03-01", "end": "2025-04-10", "reason": "incarceration"}]
    )
    assert output["planned_end"] == "2026-03-06"
    assert output["suspended_days"] == 40
    assert "prolongé de 40 jours" in output["planned_end_explanation"]
    assert kinds(output)["fin_mesure"]["due"] == "2026-03-06"


def test_output_shape_of_each_deadline():
    output = run(release_date="2025-07-01", conviction={"nature": "delit", "ssj_encouru": True})
    first = kinds(output)["premiere_convocation"]
    assert set(first) == {
        "kind",
        "label",
        "due",
        "last_working_day",
        "article",
        "source",
        "status",
        "explanation",
    }
    assert first["due"] == "2025-07-09"
    assert first["article"].startswith("CPP art. 741-1")
    assert first["status"] == "upcoming"
    json.dumps(output)  # serialisable as it is


def test_as_of_defaults_to_the_local_date_in_the_spip_zone():
    data = {k: v for k, v in BASE.items() if k != "as_of"}
    data["time_zone"] = "America/Guadeloupe"
    now = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)  # still 31 May in Guadeloupe
    output = deadlines_from_json(data, now=now)
    assert output["as_of"] == "2025-05-31"
    assert output["holiday_subdivision"] == "971"


def test_alsace_moselle_subdivision_is_a_parameter():
    output = run(holiday_subdivision="57", release_date="2026-03-26")
    assert kinds(output)["premiere_convocation"]["due"] == "2026-04-26"
    assert output["holiday_subdivision"] == "57"


def test_tig_one_due_date_with_its_suspensions():
    output = run(
        measure_type="tig",
        duration_months=None,
        tig_delay_months=12,
        tig_hours=120,
        tig_hours_done=20,
        suspensions=[
            {"start": "2025-03-01", "end": "2025-03-11", "reason": "arse"},
            {
                "start": "2025-05-01",
                "end": "2025-05-06",
                "reason": "motif_grave",
                "source": "ordonnance du JAP du 28/04/2025",
            },
        ],
    )
    assert output["planned_end"] == kinds(output)["execution_tig"]["due"] == "2026-02-10"
    assert output["suspended_days"] == 15


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"judgment_date": "2025-13-01"}, "judgment_date"),
        ({"judgment_date": None}, "judgment_date"),
        ({"measure_type": ""}, "measure_type"),
        ({"duration_months": 6}, "duration_months"),
        ({"duration_months": "12"}, "duration_months"),
        ({"convict_present_at_hearing": "oui"}, "convict_present_at_hearing"),
        ({"executoire_on": "2025-01-01"}, "executoire_on"),
        ({"tig_delay_months": 24}, "tig_delay_months"),
        ({"tig_hours": "beaucoup"}, "tig_hours"),
        ({"suspensions": {"start": "2025-03-01"}}, "suspensions"),
        ({"suspensions": [{"start": "2025-03-01", "reason": "vacances"}]}, "suspensions[0].reason"),
        (
            {"suspensions": [{"start": "2025-03-01", "end": "2025-03-01", "reason": "arse"}]},
            "suspensions[0].end",
        ),
        ({"suspensions": [{"end": "2025-03-01", "reason": "arse"}]}, "suspensions[0].start"),
        ({"conviction": {"nature": "faute"}}, "conviction.nature"),
        ({"conviction": {"ssj": True}}, "conviction.ssj"),
        ({"evaluations": ["2025-02-30"]}, "evaluations[0]"),
        ({"time_zone": "Europe/Lutece"}, "time_zone"),
        ({"holiday_subdivision": "99"}, "holiday_subdivision"),
        ({"outcome": "evasion"}, "outcome"),
        ({"unknown_key": 1}, "unknown_key"),
    ],
)
def test_malformed_input_names_the_field_in_french(changes, field):
    with pytest.raises(MeasureInputError) as error:
        run(**changes)
    assert error.value.field == field
    assert str(error.value).startswith(f"Champ « {field} »")


def test_not_an_object():
    with pytest.raises(MeasureInputError, match="objet JSON"):
        deadlines_from_json([BASE])


def test_as_of_is_required_without_a_clock():
    data = {k: v for k, v in BASE.items() if k != "as_of"}
    with pytest.raises(MeasureInputError) as error:
        deadlines_from_json(data)
    assert error.value.field == "as_of"
