"""Report templates, versioned by effective date (data/templates.json)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from parcours.rules.reports import version_in_force

DATA = Path(__file__).resolve().parent / "data" / "templates.json"


@cache
def templates() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def template_for(kind: str, on: date) -> dict[str, Any]:
    """The version of `kind`'s template in force on `on`: {"effective_from", "sections"}."""
    try:
        versions = templates()[kind]["versions"]
    except KeyError:
        raise ValueError("Type de rapport inconnu.") from None
    return dict(version_in_force(versions, on))
