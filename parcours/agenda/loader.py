"""Loads the appointment-type catalogue (data/appointment_types.json); idempotent by code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "appointment_types.json"


def catalogue() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def load_appointment_types(model: Any) -> int:
    data = catalogue()
    for item in data["types"]:
        model.objects.update_or_create(
            code=item["code"],
            defaults={
                "label": item["label"],
                "default_duration": item["duration"],
                "counts_for_compliance": item["counts_for_compliance"],
                "weekend_allowed": item["weekend"],
                "is_first": item["first"],
                "article": item["article"],
                "catalogue_version": data["version"],
            },
        )
    return len(data["types"])
