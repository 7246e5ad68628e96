"""What the person file shows of the ledgers (fixed number of queries)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.rules.ledgers import (
    Installment,
    Payment,
    WorkSession,
    compensation_status,
    tig_progress,
)

from .models import CompensationLedger, TigLedger

RECENT_SESSIONS = 10
COMPENSATION_CODE = "cp_132_45_5"  # réparer les dommages causés par l'infraction


def tig_ledgers_for(person: Person, tig_measures: Sequence[Measure], today: date) -> dict[str, Any]:
    """Two queries at most: the ledgers, then their sessions in one prefetch."""
    ledgers = list(
        TigLedger.objects.filter(person=person)
        .prefetch_related("sessions")
        .order_by("-enforceable_from", "-pk")
    )
    for ledger in ledgers:
        sessions = list(ledger.sessions.all())
        # Entries made outside the forms (admin, import) must not break the person file.
        ledger.progress_error = ""  # type: ignore[attr-defined]
        try:
            ledger.progress = tig_progress(  # type: ignore[attr-defined]
                ledger.hours_ordered,
                [WorkSession(s.day, s.hours) for s in sessions],
                ledger.enforceable_from,
                today,
            )
        except ValueError as error:
            ledger.progress = None  # type: ignore[attr-defined]
            ledger.progress_error = str(error)  # type: ignore[attr-defined]
        ledger.recent_sessions = sessions[:RECENT_SESSIONS]  # type: ignore[attr-defined]
    with_ledger = {ledger.measure_id for ledger in ledgers}
    without = [m for m in tig_measures if m.pk not in with_ledger]
    return {"tig_ledgers": ledgers, "tig_measures_without_ledger": without}


def compensation_ledgers_for(
    person: Person, compensable: Sequence[Measure], today: date
) -> dict[str, Any]:
    """Three queries: the ledgers, their installments and their payments (prefetched);
    `compensable` are the current measures with an indemnisation obligation (CP 132-45 5°)."""
    ledgers = list(
        CompensationLedger.objects.filter(person=person)
        .select_related("measure__measure_type")
        .prefetch_related("installments", "payments")
    )
    for ledger in ledgers:
        schedule = [Installment(i.due, i.amount) for i in ledger.installments.all()]
        payments = list(ledger.payments.all())
        ledger.status_error = ""  # type: ignore[attr-defined]
        try:
            ledger.status = compensation_status(  # type: ignore[attr-defined]
                ledger.amount_ordered,
                schedule,
                [Payment(p.paid_on, p.amount) for p in payments],
                today,
            )
        except ValueError as error:
            ledger.status = None  # type: ignore[attr-defined]
            ledger.status_error = str(error)  # type: ignore[attr-defined]
        ledger.recent_payments = payments[:RECENT_SESSIONS]  # type: ignore[attr-defined]
    return {"compensation_ledgers": ledgers, "compensable_measures": list(compensable)}
