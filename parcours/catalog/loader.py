"""Loads the catalogue data files. Idempotent: loading twice creates nothing twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_versions(
    model: Any, path: Path, key: str, defaults: Callable[[dict[str, Any]], dict[str, Any]]
) -> int:
    """Creates the missing versions of a versioned catalogue file (`version_date`, then under
    `key` one item a type, keyed by its `code`; `defaults(item)` gives the other fields);
    returns how many were created. The obligation catalogue is loaded the same way."""
    data = json.loads(path.read_text(encoding="utf-8"))
    version = date.fromisoformat(data["version_date"])
    created = 0
    for item in data[key]:
        _, was_created = model.objects.get_or_create(
            code=item["code"], version_date=version, defaults=defaults(item)
        )
        created += int(was_created)
    return created


def _measure_type_fields(item: dict[str, Any]) -> dict[str, Any]:
    probation = item.get("probation") or [None, None]
    return {
        "label": item["label"],
        "articles": item["articles"],
        "default_milieu": item["milieu"],
        "has_probation_period": item.get("probation") is not None,
        "min_probation_months": probation[0],
        "max_probation_months": probation[1],
        "caseload_weight": Decimal(item["weight"]),
        "sort_order": item["order"],
    }


def load_measure_types(model: Any) -> int:
    """Creates missing versions of measure types from data/measure_types.json; returns how many."""
    return load_versions(
        model, DATA_DIR / "measure_types.json", "measure_types", _measure_type_fields
    )
