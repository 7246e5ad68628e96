"""`python manage.py sentence_dates FILE.json` / `-`: the engine's JSON contract (README,
"Sentence-date engine")."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

VALID = {
    "birth_date": "1985-04-12",
    "ecrou_date": "2024-03-15",
    "pre_trial_days": 20,
    "sentences": [{"years": 1, "months": 6, "nature": "delit", "flags": []}],
    "reductions": [{"months": 2, "granted_on": "2025-01-10"}],
    "hebergement": True,
}


def run(argument: str) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sentence_dates", argument, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def run_malformed(argument: str) -> str:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("sentence_dates", argument, stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    return err.getvalue()


def test_valid_file_prints_the_dates(tmp_path: Path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    output, err = run(str(path))
    assert err == ""
    assert output["regime"] == "2023"
    # 15/03/2024 + 18 months = 15/09/2025; - 20 days of custody; - 2 months of reductions
    # counted back from 15/09/2025 (62 days).
    assert output["end_exclusive"] == "2025-06-25"
    assert output["end_inclusive"] == "2025-06-24"
    assert output["release_date"] == "2025-06-24"
    assert output["examination"]["basis"] == "720"
    assert output["lsc_de_plein_droit"] == {
        "applies": True,
        "date": "2025-03-25",
        "excluded_by": [],
    }
    assert set(output["thresholds"]) == {"one_year", "six_months", "two_years"}
    assert {"text", "article"} <= set(output["explanation"][0])
    assert any(step["article"] == "CPP art. 716-4" for step in output["explanation"])


def test_stdin_dash(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(VALID)))
    output, _ = run("-")
    assert output["end_exclusive"] == "2025-06-25"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ecrou_date": "2024-02-30"}, "ecrou_date"),
        ({"birth_date": None}, "birth_date"),
        ({"sentences": [{"years": "un"}]}, "sentences[0].years"),
        ({"sentences": [{"years": 1, "nature": "contravention"}]}, "sentences[0].nature"),
        ({"sentences": [{"years": 1, "flags": ["inconnu"]}]}, "sentences[0].flags"),
        ({"sentences": [{"years": 1, "surete": {"years": -1}}]}, "sentences[0].surete.years"),
        ({"reductions": [{"days": 10}]}, "reductions[0].granted_on"),
        (
            {"reductions": [{"days": 10, "granted_on": "2025-01-01", "kind": "x"}]},
            "reductions[0].kind",
        ),
        ({"hebergement": "oui"}, "hebergement"),
        ({"pre_trial_days": -3}, "pre_trial_days"),
        ({"ecrou": "2024-01-01"}, "ecrou"),
        ({"subdivision": "ZZ"}, "subdivision"),
    ],
)
def test_malformed_field_exits_2_with_a_french_message_naming_it(
    tmp_path: Path, change: dict, field: str
):
    data = {**VALID, **change}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    message = run_malformed(str(path))
    assert message.startswith(f"Erreur : {field} : ")


def test_invalid_json_exits_2(tmp_path: Path):
    path = tmp_path / "case.json"
    path.write_text("{ pas du json", encoding="utf-8")
    assert "JSON invalide" in run_malformed(str(path))


def test_missing_file_exits_2(tmp_path: Path):
    message = run_malformed(str(tmp_path / "absent.json"))
    assert "fichier illisible" in message and "fichier introuvable" in message
    assert "Error" not in message  # no exception class name in a French message
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"birth_date": "é"}'.encode("latin-1"))
    assert "UTF-8" in run_malformed(str(latin))


def test_the_real_process_exits_2_on_stdin(tmp_path: Path):
    completed = subprocess.run(
        [sys.executable, "manage.py", "sentence_dates", "-"],
        input=json.dumps({**VALID, "sentences": []}),
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert completed.returncode == 2
    assert "sentences : au moins une peine" in completed.stderr
    assert completed.stdout == ""
