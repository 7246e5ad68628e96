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
