"""Optimistic locking: a form saves only if the row is still at the version it was read at."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Model, QuerySet
from django.utils import timezone

from .errors import ConflictError


def update_if_version(rows: QuerySet[Any], expected_version: int | None, **values: Any) -> None:
    """`UPDATE … SET version = version + 1, <values> WHERE <rows> AND version = expected`.

    ConflictError when no row matched: someone saved since the page was read (or the version is
    missing from the form), and nothing is overwritten. `updated_at` follows the write."""
    if expected_version is None:
        raise ConflictError()
    if "updated_at" not in values and any(f.name == "updated_at" for f in rows.model._meta.fields):
        values["updated_at"] = timezone.now()  # an UPDATE does not run auto_now
    if not rows.filter(version=expected_version).update(version=F("version") + 1, **values):
        raise ConflictError()


def save_if_version(
    obj: Model, fields: Iterable[str], expected_version: int | None, **extra: Any
) -> int:
    """Writes the `fields` of `obj` (and the `extra` values) with `update_if_version`; returns
    the row's new version, for the object: `obj.version = save_if_version(obj, …)`."""
    values = {name: getattr(obj, name) for name in fields}
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    update_if_version(rows, expected_version, **extra, **values)
    return (expected_version or 0) + 1
