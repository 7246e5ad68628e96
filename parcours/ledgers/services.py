"""Recording TIG ledgers and hours, journaled in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.core.errors import Refused
from parcours.core.locking import save_if_version
from parcours.measures.models import Measure
from parcours.measures.services import journal
from parcours.rules.ledgers import (
    Installment,
    Payment,
    WorkSession,
    compensation_problems,
    work_sessions_problems,
)

from .models import (
    CompensationInstallment,
    CompensationLedger,
    CompensationPayment,
    TigLedger,
    TigSession,
)

Ledger = TigLedger | CompensationLedger


def _open(acting_user: User, measure: Measure, ledger: Ledger, details: dict[str, Any]) -> None:
    """Saves a new ledger of `measure`, journaled."""
    ledger.measure = measure
    ledger.person = measure.person
    ledger.created_by = acting_user
    ledger.save()
    journal(AuditAction.CREATION, acting_user, ledger, ledger.person, details=details)


def _lock(ledger: Ledger) -> None:
    """Serialises concurrent entries on one ledger (the checks that read its other entries)."""
    type(ledger).objects.select_for_update().filter(pk=ledger.pk).update(version=F("version") + 1)


def _add_entry(
    acting_user: User, ledger: Ledger, entry: TigSession | CompensationPayment, **details: str
) -> None:
    """Saves an entry (hours, a payment) of `ledger`, journaled."""
    entry.ledger = ledger
    entry.recorded_by = acting_user
    entry.save()
    details = {"registre": str(ledger.public_id), **details}
    journal(AuditAction.CREATION, acting_user, entry, ledger.person, details=details)


@transaction.atomic
def create_tig_ledger(*, acting_user: User, measure: Measure, ledger: TigLedger) -> TigLedger:
    details = {"heures_ordonnees": ledger.hours_ordered, "infraction": ledger.offence}
    _open(acting_user, measure, ledger, details)
    return ledger


@transaction.atomic
def add_tig_session(*, acting_user: User, ledger: TigLedger, session: TigSession) -> TigSession:
    _lock(ledger)  # the 24 h per day check
    _add_entry(acting_user, ledger, session, heures=str(session.hours))
    return session


@transaction.atomic
def add_pending_tig_session(
    *, acting_user: User, ledger: TigLedger, session: TigSession
) -> TigSession:
    """Hours a host structure recorded (parcours.partners): saved "à valider", they count in the
    register once the CPIP validates them (`validate_tig_session`). Refused in French when not
    positive or over 24 h that day (validated and pending hours together)."""
    _lock(ledger)
    same_day = [WorkSession(s.day, s.hours) for s in ledger.sessions.filter(day=session.day)]
    problems = work_sessions_problems([*same_day, WorkSession(session.day, session.hours)])
    if problems:
        raise Refused(" ".join(problems))
    session.pending = True
    _add_entry(acting_user, ledger, session, heures=str(session.hours), statut="à valider")
    return session


class SessionAlreadyValidated(Refused):
    pass


@transaction.atomic
def validate_tig_session(*, acting_user: User, session: TigSession) -> TigSession:
    """The CPIP validates hours recorded by a host structure (once: a second validation is
    refused in French)."""
    now = timezone.now()
    updated = TigSession.objects.filter(pk=session.pk, pending=True).update(
        pending=False, validated_by=acting_user, validated_at=now
    )
    if not updated:
        raise SessionAlreadyValidated("Ces heures sont déjà validées.")
    session.pending, session.validated_by, session.validated_at = False, acting_user, now
    details = {"registre": str(session.ledger.public_id), "heures": str(session.hours)}
    journal(
        AuditAction.MODIFICATION,
        acting_user,
        session,
        session.ledger.person,
        details={**details, "statut": "validées"},
    )
    return session


def _update_versioned(
    *,
    acting_user: User,
    ledger: Ledger,
    fields: list[str],
    expected_version: int,
) -> None:
    """Writes `fields` only if nobody saved the ledger meanwhile (else ConflictError)."""
    ledger.version = save_if_version(ledger, fields, expected_version)
    details = {name: str(getattr(ledger, name)) for name in fields}
    journal(AuditAction.MODIFICATION, acting_user, ledger, ledger.person, details=details)


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
    _open(
        acting_user,
        measure,
        ledger,
        {"montant": str(ledger.amount_ordered), "échéances": len(schedule)},
    )
    CompensationInstallment.objects.bulk_create(
        [CompensationInstallment(ledger=ledger, due=i.due, amount=i.amount) for i in schedule]
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
    _lock(ledger)  # the total may not exceed the amount ordered
    payments = [Payment(p.paid_on, p.amount) for p in ledger.payments.all()]
    schedule = [Installment(i.due, i.amount) for i in ledger.installments.all()]
    problems = compensation_problems(
        ledger.amount_ordered, schedule, [*payments, Payment(payment.paid_on, payment.amount)]
    )
    if problems:
        raise Refused(" ".join(problems))
    _add_entry(acting_user, ledger, payment, montant=str(payment.amount))
    return payment
