"""The journal's hash chain: each row carries the SHA-256 of its content and of the previous
row's hash, in id order (ADR 0003).

`content` is the canonical form of a row: every column but the id and the two hashes, in the
model's field order, as JSON with sorted keys and no spaces; datetimes in UTC ISO 8601 with
microseconds, UUIDs in their hyphenated form, `details` as its JSON value. The id is left out:
the chain itself binds the order (a row removed, inserted or moved breaks the next link), and a
writer need not know its id before the insert.

The first row of the journal links to `GENESIS`, or, after `purge_journal`, to the anchor that
the PURGE event recorded (the hash of the last row removed)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

GENESIS = "0" * 64
HASH_FIELDS = ("prev_hash", "row_hash")
# The PURGE event's `details` key holding the new start of the chain.
ANCHOR_KEY = "journal_anchor"
# Advisory lock key of the chain's writers on PostgreSQL (any constant bigint, unique in the
# application): "PARCOURS" + "AUDIT" read as digits on a phone keypad.
ADVISORY_LOCK_KEY = 727287682834


# The columns hashed, by attribute name. Fixed, not read from the model: a column added later
# would change the hash of every existing row. A new column of the journal must be added here
# with a new version of the chain (tests/test_audit.py checks the list against the model).
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "actor_organisation",
    "spip_id",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "person_public_id",
    "motif",
    "motif_detail",
    "request_id",
    "ip_address",
    "details",
)


def content_fields() -> tuple[str, ...]:
    return CONTENT_FIELDS


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("journal dates must be aware (UTC)")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, str):
        return str(value)  # a TextChoices member becomes its plain value
    return value


def content(values: Mapping[str, Any], fields: Iterable[str]) -> bytes:
    """The canonical bytes of a row (`values` keyed by attribute name)."""
    row = {name: _plain(values[name]) for name in fields}
    return json.dumps(
        row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def link(prev_hash: str, values: Mapping[str, Any], fields: Iterable[str]) -> str:
    """The row's hash: SHA-256 of the previous hash, a newline, and the row's content."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(content(values, fields))
    return digest.hexdigest()


def normal_details(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """`details` as it will read back from the database (tuples become lists, keys strings), so
    that the hash computed before the insert matches the row re-read later."""
    loaded: dict[str, Any] = json.loads(json.dumps(details or {}, allow_nan=False))
    return loaded
