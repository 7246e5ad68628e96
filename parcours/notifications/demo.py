from __future__ import annotations

from typing import Any


def seed(orgs: dict[str, Any], users: dict[str, Any]) -> dict[str, int]:
    """Demo data of this app (called by core.demo.seed after the people exist); idempotent."""
    return {}
