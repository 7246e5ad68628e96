"""Demo compensation ledgers (CP 132-45 5°): on track, in arrears, fully paid."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from parcours.accounts.demo import MAIN_CPIP, demo_spips
from parcours.accounts.models import Organisation, User
from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.obligations.models import Obligation, ObligationType
from parcours.rules.ledgers import monthly_schedule
from parcours.rules.measures import add_months

from .display import COMPENSATION_CODE
from .models import CompensationInstallment, CompensationLedger, CompensationPayment

# (amount, installments, months paid) — months paid < months due gives arrears.
SCENARIOS = [
    (Decimal("1200.00"), 12, None),  # every installment due so far paid: no arrears
    (Decimal("800.00"), 8, 1),  # one payment only: arrears
    (Decimal("450.00"), 3, 3),  # fully paid
    (Decimal("2500.00"), 24, 0),  # nothing paid yet
]


@transaction.atomic
def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """A few ledgers per CPIP of the demo SPIP (the main CPIP's people first); idempotent."""
    if CompensationLedger.objects.exists():
        return {}
    today = timezone.localdate()
    kind = ObligationType.objects.current().get(code=COMPENSATION_CODE)
    measures = list(
        Measure.objects.filter(
            status__in=CURRENT_STATUSES,
            measure_type__code__startswith="sursis",
            person__spip__in=demo_spips(orgs),
            person__referent__isnull=False,
        )
        .select_related("person__referent")
        .order_by("person__referent_id", "pk")
    )
    # A few per CPIP, the main CPIP's people first.
    main = users[MAIN_CPIP].pk
    measures.sort(key=lambda m: (m.person.referent_id != main, m.person.referent_id, m.pk))
    obligations = []
    for index, measure in enumerate(measures[:24]):
        amount = SCENARIOS[index % len(SCENARIOS)][0]
        obligations.append(
            Obligation.objects.create(
                measure=measure,
                obligation_type=kind,
                parameters={"montant": str(amount), "victime": "Partie civile 1"},
                start_date=measure.start_date or measure.judgment_date,
                imposed_on=measure.judgment_date,
                proof_type=kind.default_proof_type,
                cadence_months=None,
                created_by=measure.person.referent,
            )
        )
    created = 0
    for index, obligation in enumerate(obligations):
        amount, count, paid_months = SCENARIOS[index % len(SCENARIOS)]
        measure = obligation.measure
        decided = measure.judgment_date
        first_due = add_months(max(decided, today - timedelta(days=150)), 1)
        ledger = CompensationLedger.objects.create(
            person=measure.person,
            measure=measure,
            beneficiary="Partie civile 1",
            amount_ordered=amount,
            decided_on=decided,
            created_by=measure.person.referent,
        )
        schedule = monthly_schedule(amount, first_due, count)
        CompensationInstallment.objects.bulk_create(
            CompensationInstallment(ledger=ledger, due=i.due, amount=i.amount) for i in schedule
        )
        due = [i for i in schedule if i.due <= today]
        paying = due if paid_months is None else schedule[:paid_months]
        CompensationPayment.objects.bulk_create(
            CompensationPayment(
                ledger=ledger,
                paid_on=min(i.due, today),
                amount=i.amount,
                reference="Virement",
                recorded_by=measure.person.referent,
            )
            for i in paying
        )
        created += 1
    return {"registres d'indemnisation": created}
