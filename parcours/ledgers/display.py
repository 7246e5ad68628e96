"""What the person file shows of the ledgers (fixed number of queries): each ledger with what
the rules compute from it, or the error that keeps them from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.rules.ledgers import (
    CompensationStatus,
    Installment,
    Payment,
    TigProgress,
    WorkSession,
    compensation_status,
    tig_progress,
)

from .models import CompensationLedger, CompensationPayment, TigLedger, TigSession

RECENT_SESSIONS = 10
COMPENSATION_CODE = "cp_132_45_5"  # réparer les dommages causés par l'infraction


@dataclass(frozen=True)
class TigCard:
    ledger: TigLedger
    progress: TigProgress | None
    error: str  # entries made outside the forms (admin, import) must not break the person file
    recent_sessions: list[TigSession]


@dataclass(frozen=True)
class CompensationCard:
    ledger: CompensationLedger
    status: CompensationStatus | None
    error: str
    recent_payments: list[CompensationPayment]


def tig_card(ledger: TigLedger, today: date) -> TigCard:
    sessions = list(ledger.sessions.all())
    progress, error = None, ""
    try:
        progress = tig_progress(
            ledger.hours_ordered,
            [WorkSession(s.day, s.hours) for s in sessions],
            ledger.enforceable_from,
            today,
        )
    except ValueError as problem:
        error = str(problem)
    return TigCard(ledger, progress, error, sessions[:RECENT_SESSIONS])


def compensation_card(ledger: CompensationLedger, today: date) -> CompensationCard:
    schedule = [Installment(i.due, i.amount) for i in ledger.installments.all()]
    payments = list(ledger.payments.all())
    status, error = None, ""
    try:
        status = compensation_status(
            ledger.amount_ordered,
            schedule,
            [Payment(p.paid_on, p.amount) for p in payments],
            today,
        )
    except ValueError as problem:
        error = str(problem)
    return CompensationCard(ledger, status, error, payments[:RECENT_SESSIONS])


def tig_ledgers_for(person: Person, tig_measures: Sequence[Measure], today: date) -> dict[str, Any]:
    """Two queries at most: the ledgers, then their sessions in one prefetch."""
    ledgers = list(
        TigLedger.objects.filter(person=person)
        .prefetch_related("sessions")
        .order_by("-enforceable_from", "-pk")
    )
    with_ledger = {ledger.measure_id for ledger in ledgers}
    return {
        "tig_ledgers": [tig_card(ledger, today) for ledger in ledgers],
        "tig_measures_without_ledger": [m for m in tig_measures if m.pk not in with_ledger],
    }


def compensation_ledgers_for(
    person: Person, compensable: Sequence[Measure], today: date
) -> dict[str, Any]:
    """Three queries: the ledgers, their installments and their payments (prefetched);
    `compensable` are the current measures with an indemnisation obligation (CP 132-45 5°)."""
    ledgers = CompensationLedger.objects.filter(person=person).prefetch_related(
        "installments", "payments"
    )
    return {
        "compensation_ledgers": [compensation_card(ledger, today) for ledger in ledgers],
        "compensable_measures": list(compensable),
    }
