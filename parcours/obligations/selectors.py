"""Reads of the obligations app that the views need besides the doors: the catalogue."""

from __future__ import annotations

from .models import ObligationType


def current_obligation_type(code: str) -> ObligationType | None:
    """The version in force of the catalogue's obligation type `code` (None if unknown)."""
    if not code:
        return None
    return ObligationType.objects.current().filter(code=code).first()
