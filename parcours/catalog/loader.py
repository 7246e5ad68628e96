"""Loads the catalogue data files. Idempotent: loading twice creates nothing twice."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_measure_types(model: Any) -> int:
    """Creates missing versions of measure types from data/measure_types.json; returns how many."""
    data = json.loads((DATA_DIR / "measure_types.json").read_text(encoding="utf-8"))
    version = date.fromisoformat(data["version_date"])
    created = 0
    for item in data["measure_types"]:
        probation = item.get("probation") or [None, None]
        _, was_created = model.objects.get_or_create(
            code=item["code"],
            version_date=version,
            defaults={
                "label": item["label"],
                "articles": item["articles"],
                "default_milieu": item["milieu"],
                "has_probation_period": item.get("probation") is not None,
                "min_probation_months": probation[0],
                "max_probation_months": probation[1],
                "caseload_weight": Decimal(item["weight"]),
                "sort_order": item["order"],
            },
        )
        created += int(was_created)
    return created
