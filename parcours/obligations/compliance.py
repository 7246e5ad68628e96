"""Compliance status of obligations and people, stored for display and filtering.

Set-based: one read of the obligations with a periodic proof, one read of their justificatifs,
one read of the people's stored statuses, the pure rules (parcours.rules.compliance), then bulk
writes of the rows that changed — no query per person, measure or obligation.

- An obligation is followed when it has a cadence (`cadence_months`); otherwise, or when its
  measure is not current, its status is blank (nothing to check).
- A measure takes the worst status of its followed obligations (`measure_status`); a person the
  worst status of their current measures with a followed obligation (`person_status`), blank
  when there is none.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from parcours.breaches.models import Breach
from parcours.measures.models import CURRENT_STATUSES
from parcours.people.models import Person
from parcours.rules.compliance import (
    STATUS_ORDER,
    ComplianceResult,
    ObligationTerms,
    Proof,
    conduct_status,
    measure_status,
    person_status,
    terms_problem,
)
from parcours.rules.compliance import evaluate as evaluate_terms

from .models import Obligation
from .models import Proof as ProofRow

BATCH = 500
OBLIGATION_FIELDS = (
    "pk",
    "measure_id",
    "measure__person_id",
    "measure__status",
    "start_date",
    "end_date",
    "cadence_months",
    "compliance_status",
    "compliance_explanation",
    "compliance_next_due",
)
EXPLANATION_LENGTH = Obligation._meta.get_field("compliance_explanation").max_length or 400


def proof_of(row: Mapping[str, Any]) -> Proof:
    """The pure justificatif of a `values()` row; a half-given coverage counts as none (the
    reception date then places it)."""
    start, end = row["covers_from"], row["covers_to"]
    if start is None or end is None:
        start = end = None
    return Proof(
        received=row["received_on"], status=row["status"], coverage_start=start, coverage_end=end
    )


def evaluate_row(
    row: dict[str, Any],
    proofs: Iterable[Proof],
    today: date,
    breach_recorded_on: date | None = None,
) -> ComplianceResult | None:
    """Result for one obligation row, None when it is not followed (no cadence, measure not
    current, inconsistent terms)."""
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
    return evaluate_terms(
        ObligationTerms(**terms, breach_recorded_on=breach_recorded_on), proofs, today
    )


def refresh_compliance(
    person_ids: Iterable[int] | None = None, today: date | None = None
) -> dict[str, Any]:
    """Recomputes and stores the compliance of the obligations and people given (everyone when
    None) on `today` (the local date by default). Idempotent: unchanged rows are not written.
    Returns counts: people and obligations read, rows updated, people per status, seconds."""
    started = time.monotonic()
    today = today or timezone.localdate()
    ids = None if person_ids is None else sorted(set(person_ids))
    obligations = Obligation.objects.all()
    proofs = ProofRow.objects.all()
    people = Person.objects.all()
    if ids is not None:
        obligations = obligations.filter(measure__person_id__in=ids)
        proofs = proofs.filter(obligation__measure__person_id__in=ids)
        people = people.filter(pk__in=ids)
    rows = list(obligations.values(*OBLIGATION_FIELDS).order_by())
    proofs_by_obligation: dict[int, list[Proof]] = defaultdict(list)
    followed = {row["pk"] for row in rows if row["cadence_months"]}
    for proof_row in (
        proofs.filter(obligation__cadence_months__gt=0)
        .values("obligation_id", "received_on", "status", "covers_from", "covers_to")
        .order_by()
    ):
        if proof_row["obligation_id"] in followed:
            proofs_by_obligation[proof_row["obligation_id"]].append(proof_of(proof_row))

    # A manquement recorded on an obligation keeps it in breach until a later accepted proof.
    breaches = Breach.objects.filter(obligation__isnull=False, occurred_on__lte=today)
    if ids is not None:
        breaches = breaches.filter(person_id__in=ids)
    latest_breach = dict(
        breaches.values("obligation_id")
        .annotate(last=Max("occurred_on"))
        .values_list("obligation_id", "last")
        .order_by()
    )

    results_by_measure: dict[int, list[ComplianceResult]] = defaultdict(list)
    measures_by_person: dict[int, set[int]] = defaultdict(set)
    obligation_updates: list[Obligation] = []
    for row in rows:
        result = evaluate_row(
            row, proofs_by_obligation.get(row["pk"], ()), today, latest_breach.get(row["pk"])
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
            obligation_updates.append(
                Obligation(
                    pk=row["pk"],
                    compliance_status=values[0],
                    compliance_explanation=values[1],
                    compliance_next_due=values[2],
                )
            )

    statuses: Counter[str] = Counter()
    person_updates: list[Person] = []
    for pk, stored_status in people.values_list("pk", "compliance_status").order_by():
        status = (
            person_status(
                measure_status(results_by_measure[measure_id])
                for measure_id in sorted(measures_by_person.get(pk, ()))
            )
            or ""
        )
        statuses[status] += 1
        if status != stored_status:
            person_updates.append(Person(pk=pk, compliance_status=status))

    with transaction.atomic():
        Obligation.objects.bulk_update(
            obligation_updates,
            ["compliance_status", "compliance_explanation", "compliance_next_due"],
            batch_size=BATCH,
        )
        Person.objects.bulk_update(person_updates, ["compliance_status"], batch_size=BATCH)
    return {
        "people": sum(statuses.values()),
        "obligations": len(rows),
        "obligations_updated": len(obligation_updates),
        "people_updated": len(person_updates),
        **{status or "sans_objet": statuses[status] for status in ("", *STATUS_ORDER)},
        "seconds": round(time.monotonic() - started, 3),
    }
