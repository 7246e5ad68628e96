"""Recomputation of the alerts, set-based: per chunk of people, one read of the current measures'
facts, the pure deadline functions (rules/deadlines.py), then batched writes (COPY on PostgreSQL)
— no query per person or measure.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.core import bulk
from parcours.measures.models import CURRENT_STATUSES, Measure, MeasureStatus
from parcours.people.models import Person
from parcours.rules.deadlines import (
    A_VENIR,
    DEPASSEE,
    IMMINENTE,
    Deadline,
    MeasureFacts,
    measure_deadlines,
    urgency,
)

from .models import Alert

# Measures whose offence necessarily allows a suivi socio-judiciaire: the SSJ itself, and the
# surveillance judiciaire (CPP art. 723-29: only for offences where the SSJ is incurred). First
# convocation within 8 days of release for them (CPP art. 741-1), otherwise within 1 month.
SSJ_ELIGIBLE_TYPES = frozenset({"ssj", "surveillance_judiciaire"})
BATCH = 500
# People per chunk of a whole run (about 20,000 alerts at the national shape).
CHUNK_PEOPLE = 10_000
VALUE_FIELDS = ("person_id", "label", "article", "due_date")
FACT_FIELDS = (
    "pk",
    "person_id",
    "status",
    "measure_type__code",
    "judgment_date",
    "start_date",
    "end_date",
    "release_date",
    "file_received_on",
)


def facts_of(row: dict[str, Any]) -> MeasureFacts:
    """The facts of one measure (a `values()` row) that its deadlines depend on.

    - No assessment is recorded yet: the yearly reassessment (CPP art. 741-2) counts from the
      start of the measure (the judgment when the start is unknown).
    - The 723-15 delays run while the measure is still to come (the aménagement is not decided).
    """
    code = row["measure_type__code"]
    return MeasureFacts(
        type_code=code,
        start=row["start_date"] or row["judgment_date"],
        end=row["end_date"],
        judgment=row["judgment_date"],
        release=row["release_date"],
        ssj_eligible=code in SSJ_ELIGIBLE_TYPES,
        file_received_723_15=(
            row["file_received_on"] if row["status"] == MeasureStatus.A_VENIR else None
        ),
    )


def recompute_alerts(
    today: date | None = None, person_ids: Iterable[int] | None = None
) -> dict[str, Any]:
    """Replaces the alerts by those of the current measures (of `person_ids` only, when given:
    a measure saved during the day; everyone otherwise, in chunks of CHUNK_PEOPLE people so that
    memory does not grow with the national volume); idempotent (unchanged rows are not written).
    Returns counts: measures read, alerts created / updated / deleted / total, alerts per urgency
    on `today`, and the seconds taken."""
    started = time.monotonic()
    today = today or timezone.localdate()
    totals = bulk.run_in_chunks(
        lambda chunk: _recompute(chunk, today), Person, person_ids, CHUNK_PEOPLE
    )
    return {
        **{key: totals[key] for key in ("measures", "created", "updated", "deleted", "total")},
        **{level: totals[level] for level in (DEPASSEE, IMMINENTE, A_VENIR)},
        "seconds": round(time.monotonic() - started, 3),
    }


def _recompute(people: bulk.Chunk, today: date) -> Counter[str]:
    """The alerts of one chunk of people."""
    wanted: dict[tuple[int, str], tuple[int, Deadline]] = {}
    rows = (
        Measure.objects.filter(people.of("person__pk"), status__in=CURRENT_STATUSES)
        .values(*FACT_FIELDS)
        .order_by()
    )
    measures = 0
    for row in rows.iterator(chunk_size=2000):
        measures += 1
        for item in measure_deadlines(facts_of(row)):
            wanted[(row["pk"], item.kind)] = (row["person_id"], item)

    # The chunk's alerts are read by their own person (index alert_person_due_idx): an OR with
    # the measure's person would defeat the index and scan every alert in each chunk.
    alerts_qs = Alert.objects.filter(people.of("person__pk"))
    now = timezone.now()
    existing = {
        (measure_id, kind): (pk, person_id, label, article, due)
        for pk, measure_id, kind, person_id, label, article, due in alerts_qs.values_list(
            "pk", "measure_id", "kind", "person_id", "label", "article", "due_date"
        ).order_by()
    }
    obsolete = [row[0] for key, row in existing.items() if key not in wanted]
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    for (measure_id, kind), (person_id, item) in wanted.items():
        values = (person_id, item.label, item.article, item.due)
        old = existing.get((measure_id, kind))
        if old is None:
            to_create.append((*values, measure_id, kind, now))
        elif old[1:] != values:
            to_update.append((old[0], *values, now))
    with transaction.atomic():
        for chunk in bulk.batches(obsolete, BATCH):
            Alert.objects.filter(pk__in=chunk).delete()
        # A measure now under someone outside the chunk's people keeps no alert of its former
        # person (the new one is created here, and (measure, kind) is unique).
        created_for = sorted({row[4] for row in to_create})
        for chunk in bulk.batches(created_for, BATCH):
            Alert.objects.filter(measure_id__in=chunk).exclude(people.of("person__pk")).delete()
        bulk.update_rows(Alert, [*VALUE_FIELDS, "computed_at"], to_update)
        bulk.insert_rows(Alert, [*VALUE_FIELDS, "measure_id", "kind", "computed_at"], to_create)

    levels = Counter(urgency(item, today)[0] for _, item in wanted.values())
    return Counter(
        measures=measures,
        created=len(to_create),
        updated=len(to_update),
        deleted=len(obsolete),
        total=len(wanted),
        **levels,
    )


def on_measure_changed(sender: Any, *, person_ids: Iterable[int], **kwargs: Any) -> None:
    """Receiver of `measures.signals.measure_changed` (connected in apps.py): a measure saved
    during the day updates its person's alerts at once."""
    recompute_alerts(person_ids=list(person_ids))
