"""Tasks of the detention app (django-tasks; the database backend runs them in `db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .models import sync_ever_detained
from .situations import refresh_counts


@task()
def nightly_recompute_sentence_dates(spip_ids: list[int] | None = None) -> dict[str, Any]:
    """Recomputes the sentence dates of every open écrou (of the people of `spip_ids`, when
    given); only the situations whose input changed are written. Flags first the people with an
    écrou not flagged yet (models.sync_ever_detained)."""
    sync_ever_detained()
    return refresh_counts(spip_ids=spip_ids)
