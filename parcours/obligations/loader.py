"""Loads the obligation catalogue. Idempotent: loading twice creates nothing twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parcours.catalog.loader import load_versions

DATA_FILE = Path(__file__).resolve().parent / "data" / "obligation_types.json"


def _obligation_type_fields(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": item["number"],
        "category": item["category"],
        "label": item["label"],
        "article": item["article"],
        "parameters": item["parameters"],
        "default_proof_type": item["proof_type"],
        "default_cadence_months": item["cadence_months"],
        "sort_order": item["order"],
    }


def load_obligation_types(model: Any) -> int:
    """Creates missing versions of obligation types; returns how many were created."""
    return load_versions(model, DATA_FILE, "obligation_types", _obligation_type_fields)
