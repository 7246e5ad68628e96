from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from parcours.ledgers.models import TigLedger, TigSession
from parcours.measures.models import Measure
from tests.factories import MeasureFactory, measure_type


def tig_measure(person: Any) -> Measure:
    """The person's TIG measure, created if needed (without a ledger)."""
    found = person.measures.filter(measure_type__code="tig").order_by("pk").first()
    if found:
        return found
    return MeasureFactory(
        person=person,
        measure_type=measure_type("tig"),
        start_date=date(2026, 1, 5),
        end_date=None,
        probation_months=None,
    )


def first_tig_ledger(person: Any, **overrides: Any) -> TigLedger:
    found = TigLedger.objects.filter(person=person).order_by("pk").first()
    if found:
        return found
    values: dict[str, Any] = {
        "hours_ordered": 120,
        "offence": "delit",
        "enforceable_from": date(2026, 1, 5),
        "host_structure": "Mairie de Montreuil",
    }
    values.update(overrides)
    measure = tig_measure(person)
    return TigLedger.objects.create(person=person, measure=measure, **values)


def add_session(ledger: TigLedger, day: date, hours: str = "4") -> TigSession:
    return TigSession.objects.create(ledger=ledger, day=day, hours=Decimal(hours))


def first_compensation_ledger(person: Any) -> Any:
    """The person's first compensation ledger: 1,200 € in 12 monthly installments from January."""
    from decimal import Decimal

    from parcours.ledgers.models import CompensationInstallment, CompensationLedger
    from parcours.rules.ledgers import monthly_schedule

    found = CompensationLedger.objects.filter(person=person).order_by("pk").first()
    if found:
        return found
    measure = person.measures.order_by("pk").first()
    ledger = CompensationLedger.objects.create(
        person=person,
        measure=measure,
        beneficiary="Partie civile 1",
        amount_ordered=Decimal("1200.00"),
        decided_on=date(2026, 1, 5),
    )
    for item in monthly_schedule(Decimal("1200.00"), date(2026, 2, 5), 12):
        CompensationInstallment.objects.create(ledger=ledger, due=item.due, amount=item.amount)
    return ledger
