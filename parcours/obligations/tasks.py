"""Tasks of the obligations app (django-tasks; the database backend runs them in `db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .compliance import refresh_compliance


@task()
def nightly_recompute_compliance(spip_ids: list[int] | None = None) -> dict[str, Any]:
    """Recomputes the compliance of every obligation and person (of the people of `spip_ids`,
    when given); enqueued each night (docs/operations.md, "Suivi des obligations")."""
    return refresh_compliance(spip_ids=spip_ids)
