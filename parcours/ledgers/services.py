"""Recording TIG ledgers and hours, journaled in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.locking import update_if_version
from parcours.measures.models import Measure
from parcours.rules.ledgers import Installment, Payment, compensation_problems

from .models import (
    CompensationInstallment,
    CompensationLedger,
    CompensationPayment,
    TigLedger,
    TigSession,
)


@transaction.atomic
def create_tig_ledger(*, acting_user: User, measure: Measure, ledger: TigLedger) -> TigLedger:
    ledger.measure = measure
    ledger.person = measure.person
    ledger.created_by = acting_user
    ledger.save()
    record(
        AuditAction.CREATION,
        actor=acting_user,
        obj=ledger,
        person_public_id=measure.person.public_id,
        spip_id=measure.person.spip_id,
        details={"heures_ordonnees": ledger.hours_ordered, "infraction": ledger.offence},
    )
    return ledger


@transaction.atomic
def add_tig_session(*, acting_user: User, ledger: TigLedger, session: TigSession) -> TigSession:
    # Serialises concurrent entries on the same ledger (the 24 h per day check).
    TigLedger.objects.select_for_update().filter(pk=ledger.pk).update(version=F("version") + 1)
    session.ledger = ledger
    session.recorded_by = acting_user
    session.save()
    record(
        AuditAction.CREATION,
        actor=acting_user,
        obj=session,
        person_public_id=ledger.person.public_id,
        spip_id=ledger.person.spip_id,
        details={"registre": str(ledger.public_id), "heures": str(session.hours)},
    )
    return session


def _update_versioned(
    *,
    acting_user: User,
    ledger: TigLedger | CompensationLedger,
    fields: list[str],
    expected_version: int,
) -> None:
    """Writes `fields` only if nobody saved the ledger meanwhile (else ConflictError)."""
    values = {name: getattr(ledger, name) for name in fields}
    update_if_version(type(ledger).objects.filter(pk=ledger.pk), expected_version, **values)
    ledger.version = expected_version + 1
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=ledger,
        person_public_id=ledger.person.public_id,
        spip_id=ledger.person.spip_id,
        details={k: str(v) for k, v in values.items()},
    )


@transaction.atomic
def update_tig_ledger(
    *,
    acting_user: User,
    ledger: TigLedger,
    expected_version: int,
) -> TigLedger:
    _update_versioned(
        acting_user=acting_user,
        ledger=ledger,
        fields=["hours_ordered", "offence", "enforceable_from", "host_structure"],
        expected_version=expected_version,
    )
    return ledger


@transaction.atomic
def create_compensation_ledger(
    *,
    acting_user: User,
    measure: Measure,
    ledger: CompensationLedger,
    schedule: Sequence[Installment],
) -> CompensationLedger:
    ledger.measure = measure
    ledger.person = measure.person
    ledger.created_by = acting_user
    ledger.save()
    CompensationInstallment.objects.bulk_create(
        [CompensationInstallment(ledger=ledger, due=i.due, amount=i.amount) for i in schedule]
    )
    record(
        AuditAction.CREATION,
        actor=acting_user,
        obj=ledger,
        person_public_id=measure.person.public_id,
        spip_id=measure.person.spip_id,
        details={"montant": str(ledger.amount_ordered), "échéances": len(schedule)},
    )
    return ledger


@transaction.atomic
def update_compensation_ledger(
    *,
    acting_user: User,
    ledger: CompensationLedger,
    expected_version: int,
) -> CompensationLedger:
    _update_versioned(
        acting_user=acting_user,
        ledger=ledger,
        fields=["beneficiary", "amount_ordered", "decided_on"],
        expected_version=expected_version,
    )
    return ledger


@transaction.atomic
def add_compensation_payment(
    *,
    acting_user: User,
    ledger: CompensationLedger,
    payment: CompensationPayment,
) -> CompensationPayment:
    # Serialises concurrent payments on one ledger (the total may not exceed the amount).
    CompensationLedger.objects.select_for_update().filter(pk=ledger.pk).update(
        version=F("version") + 1
    )
    payments = [Payment(p.paid_on, p.amount) for p in ledger.payments.all()]
    schedule = [Installment(i.due, i.amount) for i in ledger.installments.all()]
    problems = compensation_problems(
        ledger.amount_ordered, schedule, [*payments, Payment(payment.paid_on, payment.amount)]
    )
    if problems:
        raise ValueError(" ".join(problems))
    payment.ledger = ledger
    payment.recorded_by = acting_user
    payment.save()
    record(
        AuditAction.CREATION,
        actor=acting_user,
        obj=payment,
        person_public_id=ledger.person.public_id,
        spip_id=ledger.person.spip_id,
        details={"registre": str(ledger.public_id), "montant": str(payment.amount)},
    )
    return payment
