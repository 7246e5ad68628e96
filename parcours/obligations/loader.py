"""Loads the obligation catalogue. Idempotent: loading twice creates nothing twice."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "obligation_types.json"


def load_obligation_types(model: Any) -> int:
    """Creates missing versions of obligation types; returns how many were created."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    version = date.fromisoformat(data["version_date"])
    created = 0
    for item in data["obligation_types"]:
        _, was_created = model.objects.get_or_create(
            code=item["code"],
            version_date=version,
            defaults={
                "number": item["number"],
                "category": item["category"],
                "label": item["label"],
                "article": item["article"],
                "parameters": item["parameters"],
                "default_proof_type": item["proof_type"],
                "default_cadence_months": item["cadence_months"],
                "sort_order": item["order"],
            },
        )
        created += int(was_created)
    return created
