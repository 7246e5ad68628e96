"""Recomputation of the alerts, set-based: one read of the current measures' facts, the pure
deadline functions (rules/deadlines.py), then bulk writes — no query per person or measure.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.measures.models import CURRENT_STATUSES, Measure, MeasureStatus
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


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def recompute_alerts(
    today: date | None = None, person_ids: Iterable[int] | None = None
) -> dict[str, Any]:
    """Replaces the alerts by those of the current measures (of `person_ids` only, when given:
    a measure saved during the day); idempotent (unchanged rows are not written). Returns counts:
    measures read, alerts created / updated / deleted / total, alerts per urgency on `today`, and
    the seconds taken."""
    started = time.monotonic()
    today = today or timezone.localdate()
    wanted: dict[tuple[int, str], tuple[int, Deadline]] = {}
    measures_qs = Measure.objects.filter(status__in=CURRENT_STATUSES)
    alerts_qs = Alert.objects.all()
    if person_ids is not None:
        ids = sorted(set(person_ids))
        measures_qs = measures_qs.filter(person_id__in=ids)
        alerts_qs = alerts_qs.filter(person_id__in=ids)
    rows = measures_qs.values(*FACT_FIELDS).order_by()
    measures = 0
    for row in rows.iterator(chunk_size=2000):
        measures += 1
        for item in measure_deadlines(facts_of(row)):
            wanted[(row["pk"], item.kind)] = (row["person_id"], item)

    now = timezone.now()
    existing = {
        (measure_id, kind): (pk, person_id, label, article, due)
        for pk, measure_id, kind, person_id, label, article, due in alerts_qs.values_list(
            "pk", "measure_id", "kind", "person_id", "label", "article", "due_date"
        ).order_by()
    }
    obsolete = [row[0] for key, row in existing.items() if key not in wanted]
    to_create: list[Alert] = []
    to_update: list[Alert] = []
    for (measure_id, kind), (person_id, item) in wanted.items():
        values = (person_id, item.label, item.article, item.due)
        old = existing.get((measure_id, kind))
        if old is not None and old[1:] == values:
            continue
        alert = Alert(
            pk=old[0] if old else None,
            person_id=person_id,
            measure_id=measure_id,
            kind=kind,
            label=item.label,
            article=item.article,
            due_date=item.due,
            computed_at=now,
        )
        (to_update if old else to_create).append(alert)
    with transaction.atomic():
        for chunk in _chunks(obsolete):
            Alert.objects.filter(pk__in=chunk).delete()
        Alert.objects.bulk_update(
            to_update, ["person", "label", "article", "due_date", "computed_at"], batch_size=BATCH
        )
        Alert.objects.bulk_create(to_create, batch_size=BATCH)

    levels = Counter(urgency(item, today)[0] for _, item in wanted.values())
    return {
        "measures": measures,
        "created": len(to_create),
        "updated": len(to_update),
        "deleted": len(obsolete),
        "total": len(wanted),
        DEPASSEE: levels[DEPASSEE],
        IMMINENTE: levels[IMMINENTE],
        A_VENIR: levels[A_VENIR],
        "seconds": round(time.monotonic() - started, 3),
    }
