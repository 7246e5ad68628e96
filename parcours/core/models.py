"""The abstract bases of Parcours' records: one definition of the public identifier, the
optimistic-locking version and the timestamps, instead of a copy in each model.

- `PublicRecord`: a row named in URLs by a random UUID (`public_id`), never by its key.
- `CaseEntry`: a dated entry of a person's file (a proof, a TIG session, a payment, a message),
  written once: `public_id` and `created_at`.
- `CaseRecord`: a record of the file edited over time (a person, a measure, an obligation, a
  manquement, a ledger, an appointment, a note, a report): also `version`, which
  `core.locking.update_if_version` increments on every save (a stale form is refused), and
  `updated_at`.

`named_by_date` is the `__str__` of the records named by what they are and their date.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import models


class PublicRecord(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class CaseEntry(PublicRecord):
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class CaseRecord(CaseEntry):
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedEntry(CaseEntry):
    """An entry of a record (a reduction on an écrou, a transfer…) corrected in place after its
    creation: CaseRecord's optimistic-locking version (core.locking) without `updated_at` (the
    journal says when), with a database default (the national generator's COPY and the bulk
    writers leave the column out)."""

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


def named_by_date(label: str, field: str) -> Callable[[Any], str]:
    """The `__str__` of a record named by what it is and its date, "CAP du 12/03/2026": a model
    says `__str__ = named_by_date("CAP", "held_on")`."""

    def name(record: Any) -> str:
        return f"{label} du {getattr(record, field):%d/%m/%Y}"

    return name
