"""Tasks of release preparation (django-tasks; run by `db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .services import nightly


@task()
def nightly_prepare_releases(spip_ids: list[int] | None = None) -> dict[str, Any]:
    """Opens the checklists of the coming releases and ticks the first appointments booked."""
    result = nightly(spip_ids=spip_ids)
    return {"created": result.created, "moved": result.moved, "ticked": result.ticked}
