"""The one way to write the journal: `record(...)`, called inside the business transaction.

The request id and the client IP come from the request context (`core.context`, bound by
`core.middleware.RequestContextMiddleware`), so services journal without the request.

Each row is chained to the previous one (parcours.audit.chain): `record` reads the last hash and
inserts under the database's write serialisation — SQLite's write lock (transactions begin
IMMEDIATE, config/settings.py) or, on PostgreSQL, a transaction-level advisory lock held until
the business transaction commits, so two writers never link to the same row. On PostgreSQL the
lock, the read, the hash and the insert are one statement, `parcours_journal_append` (migration
0006): a consultation costs one round trip."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import connections, models, transaction
from django.utils import timezone

from parcours.core import context

from . import chain
from .models import AuditAction, AuditEvent

IP_FIELD = AuditEvent._meta.get_field("ip_address")
PERSON_FIELD = AuditEvent._meta.get_field("person_public_id")
assert isinstance(IP_FIELD, models.GenericIPAddressField)
assert isinstance(PERSON_FIELD, models.UUIDField)

# Queries `record` adds to its INSERT: the last hash on SQLite; none on PostgreSQL, where the
# lock, the last hash and the insert are one statement.
EXTRA_QUERIES = {"postgresql": 0}
EXTRA_QUERIES_DEFAULT = 1
# The row inserted from its canonical content, hashed and linked by the database (migration 0006).
APPEND_SQL = "SELECT new_id, new_prev_hash, new_row_hash FROM parcours_journal_append(%s)"


def extra_queries(using: str = "default") -> int:
    return EXTRA_QUERIES.get(connections[using].vendor, EXTRA_QUERIES_DEFAULT)


def lock_and_read_last_hash(using: str = "default") -> str:
    """Inside a transaction: serialise the chain's writers, then the hash of the last row
    (GENESIS for an empty journal). Callers insert before their transaction ends."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its own statement: under READ COMMITTED the next statement's snapshot then sees
            # the rows of the writer that held the lock before.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.ADVISORY_LOCK_KEY])
        # The last row by its key (max(id) is one index descent on both databases; written so,
        # the plan shows an index condition: tests/test_index_coverage.py).
        cursor.execute(
            f"SELECT row_hash FROM {table} WHERE id = (SELECT MAX(id) FROM {table})"  # noqa: S608
        )
        row = cursor.fetchone()
    return row[0] if row else chain.GENESIS


def record(
    action: AuditAction | str,
    *,
    actor: Any = None,
    obj: Any = None,
    person: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    person_public_id: UUID | None = None,
    spip_id: int | None = None,
    motif: str = "",
    motif_detail: str = "",
    username: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `obj` (a model with `public_id`) fills the object fields; `person` (the
    file the event concerns: anything with `public_id` and `spip_id`) fills the person and the
    SPIP."""
    if person is not None:
        person_public_id = person.public_id
        spip_id = person.spip_id if spip_id is None else spip_id
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(getattr(obj, "public_id", obj.pk))
        object_label = object_label or str(obj)[:200]
    org = getattr(actor, "organisation", None) if actor is not None else None
    if spip_id is None and org is not None:
        spip_id = org.spip_id
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    bound = context.current()
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        actor_role=getattr(actor, "role", "") if authenticated else "",
        actor_organisation=str(org)[:200] if org is not None else "",
        spip_id=spip_id,
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:200],
        person_public_id=person_public_id,
        motif=motif,
        motif_detail=motif_detail[:500],
        request_id=bound.request_id,
        ip_address=bound.client_ip,
        details=chain.normal_details(details),
    )
    fields = chain.content_fields()
    values = {name: getattr(event, name) for name in fields}
    # The field's own conversion (an IP address, a UUID given as text) before hashing, so the
    # hash matches the row read back.
    values["ip_address"] = IP_FIELD.to_python(values["ip_address"])
    values["person_public_id"] = PERSON_FIELD.to_python(values["person_public_id"])
    if connections["default"].vendor == "postgresql":
        _append_in_one_statement(event, chain.content(values, fields))
        return event
    with transaction.atomic(savepoint=False):
        event.prev_hash = lock_and_read_last_hash()
        event.row_hash = chain.link(event.prev_hash, values, fields)
        event.save(force_insert=True)
    return event


def _append_in_one_statement(event: AuditEvent, content: bytes) -> None:
    """PostgreSQL: the row written from `content` (the bytes hashed) by parcours_journal_append,
    which links it to the last row under the chain's lock; `event` gets its id and hashes."""
    with connections["default"].cursor() as cursor:
        cursor.execute(APPEND_SQL, [content])
        event.id, event.prev_hash, event.row_hash = cursor.fetchone()
    event._state.adding = False
    event._state.db = "default"


def record_consultation(actor: Any, obj: Any, person: Any, **fields: Any) -> AuditEvent:
    """A consultation of `obj`, a record of `person`'s file, by `actor` (the doors' journal)."""
    return record(AuditAction.CONSULTATION, actor=actor, obj=obj, person=person, **fields)
