"""The journal's own retention (ADR 0003): the oldest rows go in one transaction, run as the
database owner, and a PURGE event records the hash of the last row removed as the chain's new
anchor, so `verify_journal` still proves the rows kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from parcours.rules.vocabulary import AuditAction

from . import chain, triggers
from .models import AuditEvent
from .services import lock_and_read_last_hash, record


@dataclass(frozen=True)
class Purged:
    removed: int
    anchor: str
    last_removed_id: int | None


def purge_before(day: date, *, actor: object = None, using: str = "default") -> Purged:
    """Removes the rows of the journal before `day` (local midnight): the longest run of the
    oldest rows, in id order, up to the first row dated on or after `day`."""
    cutoff = timezone.make_aware(datetime.combine(day, time.min))
    events = AuditEvent.objects.using(using)
    with transaction.atomic(using=using):
        lock_and_read_last_hash(using)  # no writer links to a row while it is removed
        first_kept = events.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True)
        boundary = first_kept.first()
        doomed = events.filter(id__lt=boundary) if boundary is not None else events.all()
        last = doomed.order_by("-id").values("id", "row_hash").first()
        if last is None:
            return Purged(0, "", None)
        removed = doomed.count()
        with triggers.lifted(using):
            # The QuerySet refuses delete(): a raw statement, by the owner, triggers lifted.
            doomed._raw_delete(using)
        record(
            AuditAction.PURGE,
            actor=actor,
            object_type="journal",
            details={
                chain.ANCHOR_KEY: last["row_hash"],
                "last_removed_id": last["id"],
                "removed": removed,
                "before": day.isoformat(),
            },
        )
    return Purged(removed, last["row_hash"], last["id"])
