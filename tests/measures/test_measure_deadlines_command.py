"""`manage.py measure_deadlines FILE.json` (or `-`): JSON in, JSON out, exit 2 in French."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

CASE = {
    "measure_type": "sursis_probatoire",
    "judgment_date": "2026-01-10",
    "executoire_on": "2026-01-10",
    "duration_months": 12,
    "suspensions": [{"start": "2026-03-01", "end": "2026-03-11", "reason": "incarceration"}],
    "as_of": "2026-06-01",
}


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("measure_deadlines", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cp_132_43_file_gives_planned_end_moved_by_the_incarceration(tmp_path: Path) -> None:
    path = tmp_path / "mesure.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    out, _ = run(str(path))
    result = json.loads(out)
    # 12 months from 10/01/2026: last day 09/01/2027, + 10 days suspended.
    assert result["planned_end"] == "2027-01-19"
    assert result["suspended_days"] == 10
    assert "incarcération" in out  # ensure_ascii=False: French as is
    kinds = {d["kind"] for d in result["deadlines"]}
    assert "fin_mesure" in kinds


def test_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({**CASE, "suspensions": []})))
    result = json.loads(run("-")[0])
    assert result["planned_end"] == "2027-01-09"


def test_malformed_field_exits_2_with_a_french_message_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mesure.json"
    path.write_text(json.dumps({**CASE, "judgment_date": "10/01/2026"}), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("measure_deadlines", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "judgment_date" in err.getvalue()
    assert "Champ" in err.getvalue()


def test_invalid_json_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "mesure.json"
    path.write_text("{", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("measure_deadlines", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "JSON invalide" in err.getvalue()


def test_missing_file_exits_2(tmp_path: Path) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("measure_deadlines", str(tmp_path / "absent.json"), stderr=err)
    assert exit_info.value.code == 2
    assert "Fichier illisible" in err.getvalue()
