"""Database routing: the primary for everything, the replica for statistics reads only."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from parcours.core.db import in_statistics_reads

REPLICA = "replica"
# Never read from a replica, even inside statistics: the journal (must show the latest rows),
# sessions and accounts (authentication, lockout), the task queue.
PRIMARY_ONLY_APPS = {"audit", "sessions", "accounts", "axes", "django_tasks_database"}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        if (
            replica_configured()
            and in_statistics_reads()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: same rows, same keys

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
