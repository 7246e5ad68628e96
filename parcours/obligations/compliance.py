"""Compliance status of obligations and people, stored for display and filtering.

Set-based: per chunk of people, one read of the obligations with a periodic proof, one read of
their justificatifs, one read of the people's stored statuses, the pure rules
(parcours.rules.compliance), then batched writes of the rows that changed
(`parcours.core.bulk.update_rows`) — no query per person, measure or obligation.

- An obligation is followed when it has a cadence (`cadence_months`); otherwise, or when its
  measure is not current, its status is blank (nothing to check).
- A measure takes the worst status of its followed obligations (`measure_status`); a person the
  worst status of their current measures with a followed obligation (`person_status`), blank
  when there is none.
- The person's incarceration periods (people.IncarcerationPeriod, one read per chunk) suspend
  the obligations, except the bans on contact and on appearing (CP art. 132-43 al. 2,
  `rules.compliance.evaluate_obligation`).
- A manquement recorded on an obligation keeps it in breach until a later accepted proof. The
  manquements live in an app above this one: it names, on its AppConfig
  (`obligation_breach_dates`), a function `(chunk, today) -> {obligation pk: date of the latest
  manquement on or before today}` that this module calls for each chunk.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.core import bulk
from parcours.core.hooks import app_hooks
from parcours.measures.models import CURRENT_STATUSES
from parcours.people.models import IncarcerationPeriod, Person
from parcours.rules.compliance import (
    STATE_ORDER,
    ComplianceResult,
    ObligationTerms,
    Proof,
    conduct_status,
    evaluate_obligation,
    measure_status,
    person_status,
    terms_problem,
)
from parcours.rules.dates import Span, local_date

from .models import Obligation
from .models import Proof as ProofRow

# People per chunk of a whole run: about 6,400 obligations and 40 MB at the national shape.
CHUNK_PEOPLE = 10_000
OBLIGATION_FIELDS = (
    "pk",
    "measure_id",
    "measure__person_id",
    "measure__status",
    "obligation_type__code",
    "start_date",
    "end_date",
    "cadence_months",
    "compliance_status",
    "compliance_explanation",
    "compliance_next_due",
)
EXPLANATION_LENGTH = Obligation._meta.get_field("compliance_explanation").max_length or 400
BREACH_DATES_ATTRIBUTE = "obligation_breach_dates"

BreachDates = Callable[[bulk.Chunk, date], Mapping[int, date]]


@cache
def breach_date_sources() -> tuple[BreachDates, ...]:
    """The functions the installed apps name on their AppConfig (`obligation_breach_dates`)."""
    return app_hooks(BREACH_DATES_ATTRIBUTE)


def latest_breaches(people: bulk.Chunk, today: date) -> dict[int, date]:
    """The date of the latest manquement on or before `today` of each obligation of the chunk's
    people that has one."""
    latest: dict[int, date] = {}
    for source in breach_date_sources():
        for obligation_id, day in source(people, today).items():
            if obligation_id not in latest or day > latest[obligation_id]:
                latest[obligation_id] = day
    return latest


def proof_of(row: Mapping[str, Any]) -> Proof:
    """The pure justificatif of a `values()` row; a half-given coverage counts as none (the
    reception date then places it)."""
    start, end = row["covers_from"], row["covers_to"]
    if start is None or end is None:
        start = end = None
    return Proof(
        received=row["received_on"], status=row["status"], coverage_start=start, coverage_end=end
    )


def incarcerations_of(people: bulk.Chunk) -> dict[int, list[Span]]:
    """The incarceration periods of the chunk's people (one query), as half-open spans."""
    spans: dict[int, list[Span]] = defaultdict(list)
    for person_id, start, end in (
        IncarcerationPeriod.objects.filter(people.of("person__pk"))
        .values_list("person_id", "start", "end")
        .order_by()
    ):
        spans[person_id].append(Span(start, end))
    return spans


def evaluate_row(
    row: dict[str, Any],
    proofs: Iterable[Proof],
    today: date,
    breach_recorded_on: date | None = None,
    incarcerations: Iterable[Span] = (),
) -> ComplianceResult | None:
    """Result for one obligation row, None when it is not followed (no cadence, measure not
    current, inconsistent terms). `incarcerations`: the person's (CP art. 132-43 al. 2)."""
    if row["measure__status"] not in CURRENT_STATUSES:
        return None
    if not row["cadence_months"]:
        return conduct_status(breach_recorded_on, today)
    terms = {
        "start": row["start_date"],
        "end": row["end_date"],
        "cadence_months": row["cadence_months"],
    }
    if terms_problem(**terms):
        return None
    return evaluate_obligation(
        ObligationTerms(**terms, breach_recorded_on=breach_recorded_on),
        proofs,
        today,
        incarcerations=incarcerations,
        obligation_code=row["obligation_type__code"],
    )


def refresh_compliance(
    person_ids: Iterable[int] | None = None,
    today: date | None = None,
    *,
    spip_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Recomputes and stores the compliance of the obligations and people given (everyone when
    None, in chunks of CHUNK_PEOPLE people so that memory does not grow with the national volume;
    only the people followed by `spip_ids` when given: the nightly run of one time zone).
    `today` (a missed night, tests) replaces every SPIP's local date; by default each person is
    computed on their SPIP's local date (Organisation.timezone, R-DATES-LOCAL).
    Idempotent: unchanged rows are not written.
    Returns counts: people and obligations read, rows updated, people per status, seconds."""
    started = time.monotonic()
    now = timezone.now()
    within = {"spip_id__in": sorted(set(spip_ids))} if spip_ids is not None else None
    totals = bulk.run_in_chunks(
        lambda chunk: _refresh(chunk, today, now), Person, person_ids, CHUNK_PEOPLE, within
    )
    return {
        "people": totals["people"],
        "obligations": totals["obligations"],
        "obligations_updated": totals["obligations_updated"],
        "people_updated": totals["people_updated"],
        **{status or "sans_objet": totals[status or "sans_objet"] for status in ("", *STATE_ORDER)},
        "seconds": round(time.monotonic() - started, 3),
    }


def _refresh(people: bulk.Chunk, today: date | None, now: datetime) -> Counter[str]:
    """The obligations and statuses of one chunk of people, each on their SPIP's local date
    (or `today`)."""
    stored_statuses: dict[int, str] = {}
    todays: dict[int, date] = {}
    zone_days: dict[str, date] = {}
    for pk, stored_status, zone in (
        Person.objects.filter(people.of("pk"))
        .values_list("pk", "compliance_status", "spip__timezone")
        .order_by()
    ):
        stored_statuses[pk] = stored_status
        if zone not in zone_days:
            zone_days[zone] = today or local_date(now, zone or "Europe/Paris")
        todays[pk] = zone_days[zone]
    if not todays:
        return Counter()
    rows = list(
        Obligation.objects.filter(people.of("measure__person__pk"))
        .values(*OBLIGATION_FIELDS)
        .order_by()
    )
    proofs_by_obligation: dict[int, list[Proof]] = defaultdict(list)
    followed = {row["pk"] for row in rows if row["cadence_months"]}
    for proof_row in (
        ProofRow.objects.filter(people.of("obligation__measure__person__pk"))
        .filter(obligation__cadence_months__gt=0)
        .values("obligation_id", "received_on", "status", "covers_from", "covers_to")
        .order_by()
    ):
        if proof_row["obligation_id"] in followed:
            proofs_by_obligation[proof_row["obligation_id"]].append(proof_of(proof_row))

    # A manquement recorded on an obligation keeps it in breach until a later accepted proof
    # (read up to the chunk's latest local date: a manquement is never dated in the future).
    latest_breach = latest_breaches(people, max(todays.values()))
    # The person's incarcerations suspend the obligations but the bans (CP art. 132-43 al. 2).
    incarcerations = incarcerations_of(people)

    results_by_measure: dict[int, list[ComplianceResult]] = defaultdict(list)
    measures_by_person: dict[int, set[int]] = defaultdict(set)
    obligation_updates: list[tuple[int, str, str, date | None]] = []
    for row in rows:
        result = evaluate_row(
            row,
            proofs_by_obligation.get(row["pk"], ()),
            todays[row["measure__person_id"]],
            latest_breach.get(row["pk"]),
            incarcerations.get(row["measure__person_id"], ()),
        )
        values: tuple[str, str, date | None] = ("", "", None)
        if result is not None:
            results_by_measure[row["measure_id"]].append(result)
            measures_by_person[row["measure__person_id"]].add(row["measure_id"])
            values = (result.status, result.explanation[:EXPLANATION_LENGTH], result.next_due_date)
        stored = (
            row["compliance_status"],
            row["compliance_explanation"],
            row["compliance_next_due"],
        )
        if values != stored:
            obligation_updates.append((row["pk"], *values))

    statuses: Counter[str] = Counter()
    person_updates: list[tuple[int, str]] = []
    for pk, stored_status in stored_statuses.items():
        status = (
            person_status(
                measure_status(results_by_measure[measure_id])
                for measure_id in sorted(measures_by_person.get(pk, ()))
            )
            or ""
        )
        statuses[status or "sans_objet"] += 1
        if status != stored_status:
            person_updates.append((pk, status))

    with transaction.atomic():
        bulk.update_rows(
            Obligation,
            ["compliance_status", "compliance_explanation", "compliance_next_due"],
            obligation_updates,
        )
        bulk.update_rows(Person, ["compliance_status"], person_updates)
    return Counter(
        people=sum(statuses.values()),
        obligations=len(rows),
        obligations_updated=len(obligation_updates),
        people_updated=len(person_updates),
        **statuses,
    )


def on_measure_changed(sender: Any, *, person_ids: Iterable[int], **kwargs: Any) -> None:
    """Receiver of `measures.signals.measure_changed` (connected in apps.py): a measure saved
    during the day updates its person's compliance at once."""
    refresh_compliance(list(person_ids))
