"""Walks the journal's hash chain in id order, in chunks (keyset pagination: memory stays flat
whatever the size of the journal), and stops at the first broken link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parcours.rules.vocabulary import AuditAction

from . import chain
from .models import AuditEvent

CHUNK = 5000


@dataclass(frozen=True)
class Break:
    """The first row whose link does not hold."""

    id: int
    at: datetime
    reason: str
    expected: str
    found: str


@dataclass(frozen=True)
class Report:
    checked: int
    head: str  # the hash of the last row verified (to keep outside the database)
    anchor: str  # where the chain starts: GENESIS or the anchor of a journal purge
    broken: Break | None = None


def _break(row: dict[str, Any], reason: str, expected: str, found: str) -> Break:
    return Break(row["id"], row["at"], reason, expected, found)


def recorded_anchors(using: str = "default") -> set[str]:
    """The chain starts that `purge_journal` recorded (in PURGE events, themselves chained)."""
    rows = (
        AuditEvent.objects.using(using)
        .filter(action=AuditAction.PURGE)
        .values_list("details", flat=True)
    )
    return {d[chain.ANCHOR_KEY] for d in rows if isinstance(d, dict) and chain.ANCHOR_KEY in d}


def verify(using: str = "default", chunk: int = CHUNK) -> Report:
    fields = chain.content_fields()
    prev: str | None = None
    anchor = chain.GENESIS
    last_id, checked = 0, 0
    while True:
        rows = list(
            AuditEvent.objects.using(using)
            .filter(id__gt=last_id)
            .order_by("id")
            .values("id", "prev_hash", "row_hash", *fields)[:chunk]
        )
        if not rows:
            return Report(checked, prev or chain.GENESIS, anchor)
        for row in rows:
            if prev is None:  # the first row: the genesis or a recorded anchor
                if row["prev_hash"] != chain.GENESIS:
                    if row["prev_hash"] not in recorded_anchors(using):
                        reason = "début de chaîne inconnu (ni origine ni ancre de purge)"
                        broken = _break(row, reason, chain.GENESIS, row["prev_hash"])
                        return Report(checked, chain.GENESIS, anchor, broken)
                    anchor = row["prev_hash"]
                prev = row["prev_hash"]
            if row["prev_hash"] != prev:
                broken = _break(row, "maillon précédent absent ou modifié", prev, row["prev_hash"])
                return Report(checked, prev, anchor, broken)
            expected = chain.link(prev, row, fields)
            if row["row_hash"] != expected:
                broken = _break(row, "contenu modifié", expected, row["row_hash"])
                return Report(checked, prev, anchor, broken)
            prev, last_id = expected, row["id"]
            checked += 1
