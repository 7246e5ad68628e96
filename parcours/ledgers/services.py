"""Recording TIG ledgers and hours, journaled in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.measures.models import Measure

from .models import TigLedger, TigSession


@transaction.atomic
def create_tig_ledger(
    *, acting_user: User, measure: Measure, ledger: TigLedger, request: HttpRequest | None
) -> TigLedger:
    ledger.measure = measure
    ledger.person = measure.person
    ledger.created_by = acting_user
    ledger.save()
    record(
        AuditAction.CREATION,
        actor=acting_user,
        request=request,
        obj=ledger,
        person_public_id=measure.person.public_id,
        spip_id=measure.person.spip_id,
        details={"heures_ordonnees": ledger.hours_ordered, "infraction": ledger.offence},
    )
    return ledger


@transaction.atomic
def add_tig_session(
    *, acting_user: User, ledger: TigLedger, session: TigSession, request: HttpRequest | None
) -> TigSession:
    # Serialises concurrent entries on the same ledger (the 24 h per day check).
    TigLedger.objects.select_for_update().filter(pk=ledger.pk).update(version=F("version") + 1)
    session.ledger = ledger
    session.recorded_by = acting_user
    session.save()
    record(
        AuditAction.CREATION,
        actor=acting_user,
        request=request,
        obj=session,
        person_public_id=ledger.person.public_id,
        spip_id=ledger.person.spip_id,
        details={"registre": str(ledger.public_id), "heures": str(session.hours)},
    )
    return session
