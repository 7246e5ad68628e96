"""Reads that may go to the PostgreSQL streaming replica (statistics, indicators).

A view wraps its read-only statistics in `statistics_reads()`; `config.routers.ReplicaRouter`
then sends those reads to the "replica" database when one is configured
(`DATABASE_REPLICA_URL`). Everything else — writes, the audit journal, every read of a case file —
stays on the primary, so a user never reads a file older than their own last write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_statistics = ContextVar("parcours_statistics_reads", default=False)


@contextmanager
def statistics_reads() -> Iterator[None]:
    token = _statistics.set(True)
    try:
        yield
    finally:
        _statistics.reset(token)


def in_statistics_reads() -> bool:
    return _statistics.get()
