"""What the person file shows of the ledgers (fixed number of queries): each ledger with what
the rules compute from it, or the error that keeps them from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from parcours.measures.models import Measure
from parcours.people.models import IncarcerationPeriod, Person
from parcours.rules.ledgers import (
    CompensationStatus,
    Installment,
    Payment,
    TigProgress,
    WorkSession,
    compensation_status,
    tig_due,
    tig_progress,
)
from parcours.rules.legal_deadlines import MeasureCase, Procedure
from parcours.rules.timeline import TIG, MeasureTimeline, Suspension, SuspensionReason

from .models import CompensationLedger, CompensationPayment, TigLedger, TigSession

RECENT_SESSIONS = 10
COMPENSATION_CODE = "cp_132_45_5"  # réparer les dommages causés par l'infraction


@dataclass(frozen=True)
class TigCard:
    ledger: TigLedger
    progress: TigProgress | None
    error: str  # entries made outside the forms (admin, import) must not break the person file
    recent_sessions: list[TigSession]
    pending_sessions: list[TigSession]  # recorded by a host structure, not counted yet


@dataclass(frozen=True)
class CompensationCard:
    ledger: CompensationLedger
    status: CompensationStatus | None
    error: str
    recent_payments: list[CompensationPayment]


def tig_case(
    ledger: TigLedger,
    person_periods: Sequence[Suspension],
    suspensions: Sequence[Suspension],
) -> MeasureCase:
    """The TIG measure's case for the legal rules (R-CP-131-22): its timeline (judgment,
    exécution provisoire, exécutoire date, start), the person's incarcerations and the measure's
    own suspensions, the court-set delay and the hours. The register's "exécutoire à compter du"
    stands for the measure's exécutoire date when the measure has none. Raises ValueError
    (French) on inconsistent dates."""
    measure = ledger.measure
    timeline = MeasureTimeline(
        measure_type=TIG,
        judgment=measure.judgment_date,
        execution_provisoire=measure.execution_provisoire,
        executoire_on=measure.executoire_on or ledger.enforceable_from,
        final_on=measure.final_on,
        notified_on=measure.notified_on,
        start=measure.start_date,
        end=measure.end_date,
        suspensions=tuple(suspensions),
        person_periods=tuple(person_periods),
        ended_on=measure.ended_on,
        outcome=measure.outcome,
    )
    procedure = Procedure(
        tig_delay_months=measure.tig_delay_months, tig_hours=Decimal(ledger.hours_ordered)
    )
    return MeasureCase(timeline, procedure=procedure)


def tig_card(
    ledger: TigLedger,
    today: date,
    person_periods: Sequence[Suspension] = (),
    suspensions: Sequence[Suspension] = (),
) -> TigCard:
    """The register of one TIG with its one due date (rules.ledgers.tig_due, the function the
    alerts use: issue 13, finding 2)."""
    recorded = list(ledger.sessions.all())
    sessions = [s for s in recorded if not s.pending]
    progress, error = None, ""
    try:
        due = tig_due(tig_case(ledger, person_periods, suspensions), today)
        if due.day is None:
            raise ValueError(due.explanation)
        progress = tig_progress(
            ledger.hours_ordered,
            [WorkSession(s.day, s.hours) for s in sessions],
            ledger.enforceable_from,
            today,
            due=due.day,
            due_explanation=due.explanation,
        )
    except ValueError as problem:
        error = str(problem)
    pending = [s for s in recorded if s.pending]
    return TigCard(ledger, progress, error, sessions[:RECENT_SESSIONS], pending)


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


def tig_ledgers(person: Person) -> QuerySet[TigLedger]:
    """The person's TIG ledgers with what their cards read (measure joined; sessions and the
    measures' suspensions prefetched)."""
    return (
        TigLedger.objects.filter(person=person)
        .select_related("measure")
        .prefetch_related("sessions", "measure__suspensions")
        .order_by("-enforceable_from", "-pk")
    )


def tig_cards(person: Person, ledgers: Sequence[TigLedger], today: date) -> list[TigCard]:
    """The cards of `ledgers` (from `tig_ledgers`); one query for the person's incarcerations
    when there is a ledger."""
    if not ledgers:
        return []
    periods = [
        Suspension(start, end, SuspensionReason.INCARCERATION, source)
        for start, end, source in IncarcerationPeriod.objects.filter(person=person)
        .values_list("start", "end", "source")
        .order_by("start")
    ]
    cards = []
    for ledger in ledgers:
        own = [
            Suspension(s.start, s.end, s.reason, s.source) for s in ledger.measure.suspensions.all()
        ]
        cards.append(tig_card(ledger, today, periods, own))
    return cards


def tig_ledgers_for(person: Person, tig_measures: Sequence[Measure], today: date) -> dict[str, Any]:
    """Four queries at most: the ledgers (their measure joined); when there is one, their
    sessions and their measures' suspensions (prefetched), the person's incarcerations."""
    ledgers = list(tig_ledgers(person))
    with_ledger = {ledger.measure_id for ledger in ledgers}
    return {
        "tig_ledgers": tig_cards(person, ledgers, today),
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
