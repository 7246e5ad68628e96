"""The abstract bases of Parcours' records: one definition of the public identifier, the
optimistic-locking version and the timestamps, instead of a copy in each model.

- `PublicRecord`: a row named in URLs by a random UUID (`public_id`), never by its key.
- `CaseEntry`: a dated entry of a person's file (a proof, a TIG session, a payment, a message),
  written once: `public_id` and `created_at`.
- `CaseRecord`: a record of the file edited over time (a person, a measure, an obligation, a
  manquement, a ledger, an appointment, a note, a report): also `version`, which
  `core.locking.update_if_version` increments on every save (a stale form is refused), and
  `updated_at`.
"""

from __future__ import annotations

import uuid

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
