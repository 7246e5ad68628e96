"""Recomputation of the alerts, set-based: per chunk of people, the cases of their current measures
(measures.selectors.read_cases: a constant number of queries), the pure deadline functions
(rules/legal_deadlines.py) on each SPIP's local date and holiday subdivision, then batched
writes (COPY on PostgreSQL) — no query per person or measure.

A deadline whose action is recorded (`done`) gets no alert: an existing one is deleted.

The apps above add their own alerts (models.EXTRA_KINDS, e.g. the steps of a plan in force) by
listing `alert_sources` on their AppConfig: dotted paths of functions
`source(*, person_ids, spip_ids, today) -> int` that write the alerts of their kind for those
people (everyone when both are None) and return how many they hold. `recompute_alerts` runs them
after the legal deadlines, so the nightly and a measure's change refresh them too.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from parcours.core import bulk
from parcours.measures.models import CURRENT_STATUSES
from parcours.measures.selectors import CaseRow, read_cases, spip_today
from parcours.people.models import Person
from parcours.rules.legal_deadlines import DONE, LegalDeadline, measure_report

from .models import A_VENIR, DEPASSEE, IMMINENTE, Alert

logger = logging.getLogger(__name__)

BATCH = 500
# People per chunk of a whole run (about 20,000 alerts at the national shape).
CHUNK_PEOPLE = 10_000
VALUE_FIELDS = (
    "person_id",
    "spip_id",
    "label",
    "article",
    "source",
    "due_date",
    "last_working_day",
    "status",
    "explanation",
)


def recompute_alerts(
    today: date | None = None,
    person_ids: Iterable[int] | None = None,
    *,
    spip_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Replaces the alerts by those of the current measures (of `person_ids` only, when given:
    a measure saved during the day; everyone otherwise, in chunks of CHUNK_PEOPLE people so that
    memory does not grow with the national volume; only the people followed by `spip_ids` when
    given: the nightly run of one time zone); idempotent (unchanged rows are not written).
    `today` (a missed night, tests) replaces every SPIP's local date; by default each measure is
    computed on its SPIP's local date (Organisation.timezone) and holidays.
    Returns counts: measures read, alerts created / updated / deleted / total, alerts per urgency,
    measures whose dates are inconsistent (`invalid`), and the seconds taken."""
    started = time.monotonic()
    now = timezone.now()
    within = {"spip_id__in": sorted(set(spip_ids))} if spip_ids is not None else None
    if person_ids is not None:
        person_ids = list(person_ids)
    totals = bulk.run_in_chunks(
        lambda chunk: _recompute(chunk, today, now), Person, person_ids, CHUNK_PEOPLE, within
    )
    spip_list = sorted(set(spip_ids)) if spip_ids is not None else None
    for source in alert_sources():
        source(person_ids=person_ids, spip_ids=spip_list, today=today)
    return {
        **{
            key: totals[key]
            for key in ("measures", "created", "updated", "deleted", "total", "invalid")
        },
        **{level: totals[level] for level in (DEPASSEE, IMMINENTE, A_VENIR)},
        "seconds": round(time.monotonic() - started, 3),
    }


def alert_sources() -> list[Callable[..., int]]:
    """The `alert_sources` of the installed apps (see the module docstring)."""
    return [
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, "alert_sources", ())
    ]


def _level(item: LegalDeadline, as_of: date) -> str:
    if as_of > item.due:
        return DEPASSEE
    return IMMINENTE if item.status == "due_soon" else A_VENIR


def _recompute(people: bulk.Chunk, today: date | None, now: datetime) -> Counter[str]:
    """The alerts of one chunk of people."""
    wanted: dict[tuple[int, str], tuple[CaseRow, LegalDeadline]] = {}
    levels: Counter[str] = Counter()
    measures = invalid = 0
    for row in read_cases(people.of, Q(status__in=CURRENT_STATUSES), now=now):
        measures += 1
        if row.case is None:
            invalid += 1
            logger.warning("Mesure %s : échéances non calculées (%s)", row.measure_id, row.problem)
            continue
        as_of = today or spip_today(row.time_zone, now)
        for item in measure_report(row.case, as_of, subdivision=row.subdivision).deadlines:
            if item.status == DONE:
                continue
            wanted[(row.measure_id, item.kind)] = (row, item)
            levels[_level(item, as_of)] += 1

    # The chunk's alerts are read by their own person (index alert_person_due_idx): an OR with
    # the measure's person would defeat the index and scan every alert in each chunk.
    alerts_qs = Alert.objects.filter(people.of("person__pk"), origin__isnull=True)
    now = timezone.now()
    existing = {
        (measure_id, kind): (pk, *values)
        for pk, measure_id, kind, *values in alerts_qs.values_list(
            "pk", "measure_id", "kind", *VALUE_FIELDS
        ).order_by()
    }
    obsolete = [row[0] for key, row in existing.items() if key not in wanted]
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    for (measure_id, kind), (row, item) in wanted.items():
        values = (
            row.person_id,
            row.spip_id,
            item.label,
            item.article,
            item.source,
            item.due,
            item.last_working_day,
            item.status,
            # Without "Dépassée de N jours au …" (shown from today on display): an overdue
            # alert is not rewritten every night.
            item.basis,
        )
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
        created_for = sorted({row[len(VALUE_FIELDS)] for row in to_create})
        for chunk in bulk.batches(created_for, BATCH):
            Alert.objects.filter(measure_id__in=chunk).exclude(people.of("person__pk")).delete()
        bulk.update_rows(Alert, [*VALUE_FIELDS, "computed_at"], to_update)
        bulk.insert_rows(Alert, [*VALUE_FIELDS, "measure_id", "kind", "computed_at"], to_create)

    return Counter(
        measures=measures,
        created=len(to_create),
        updated=len(to_update),
        deleted=len(obsolete),
        total=len(wanted),
        invalid=invalid,
        **levels,
    )


def on_measure_changed(sender: Any, *, person_ids: Iterable[int], **kwargs: Any) -> None:
    """Receiver of `measures.signals.measure_changed` (connected in apps.py): a measure saved
    during the day updates its person's alerts at once."""
    recompute_alerts(person_ids=list(person_ids))
