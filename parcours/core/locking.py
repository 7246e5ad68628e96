"""Optimistic locking: a form saves only if the row is still at the version it was read at."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from .errors import ConflictError


def update_if_version(rows: QuerySet[Any], expected_version: int | None, **values: Any) -> None:
    """`UPDATE … SET version = version + 1, <values> WHERE <rows> AND version = expected`.

    ConflictError when no row matched: someone saved since the page was read (or the version is
    missing from the form), and nothing is overwritten."""
    if expected_version is None:
        raise ConflictError()
    if not rows.filter(version=expected_version).update(version=F("version") + 1, **values):
        raise ConflictError()
