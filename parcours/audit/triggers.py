"""The database triggers that keep the journal append-only (migrations 0002 and 0005), and the
owner's way to lift them inside one transaction (the journal's own purge, `purge_journal`).

The SQL is written once here and used by migration 0005: changing it needs a new migration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;""",
    # INSERT OR REPLACE deletes the existing row without firing DELETE triggers (unless the
    # connection set PRAGMA recursive_triggers, which an intruder's connection would not).
    """CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_auditevent
       WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_event_no_replace",
]
# On PostgreSQL, audit_event_no_update refuses UPDATE and DELETE (migration 0002); only the
# table's owner may disable it.
POSTGRES_DISABLE = "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update"
POSTGRES_ENABLE = "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update"


@contextmanager
def lifted(using: str = "default") -> Iterator[None]:
    """Inside a transaction, as the owner: the UPDATE/DELETE triggers are lifted, then put back
    (a rollback puts them back too: DDL is transactional on both databases)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_DROP:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks are pending (rows inserted
            # earlier in the transaction): run them now, and defer again after.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(POSTGRES_DISABLE)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            cursor.execute(POSTGRES_ENABLE)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
