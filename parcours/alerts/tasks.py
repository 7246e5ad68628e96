"""Tasks of the alerts app (django-tasks; the database backend runs them in `db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .services import recompute_alerts


@task()
def nightly_recompute_alerts(spip_ids: list[int] | None = None) -> dict[str, Any]:
    """Recomputes every alert (of the people of `spip_ids`, when given); enqueued each night
    (docs/operations.md, "Alertes")."""
    return recompute_alerts(spip_ids=spip_ids)
