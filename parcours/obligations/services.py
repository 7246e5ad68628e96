"""Verb-first writes on obligations and justificatifs, journaled in the same transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import save_if_version
from parcours.measures.models import Measure
from parcours.measures.services import journal

from . import parameters, storage
from .compliance import refresh_compliance
from .models import Obligation, Proof, ProofKind, ProofStatus
from .selectors import obligation_dates_error
from .uploads import CheckedFile

OBLIGATION_FIELDS = [
    "parameters",
    "start_date",
    "end_date",
    "proof_type",
    "cadence_months",
    "imposed_by",
    "imposed_on",
]


class ProofAlreadyDecided(ConflictError):
    """The justificatif was accepted or refused by someone else meanwhile."""


def _check_parameters(obligation: Obligation) -> None:
    errors = parameters.validate(
        obligation.obligation_type.parameter_definitions, obligation.parameters or {}
    )
    if errors:
        raise ValidationError(list(errors.values()))
    if obligation.end_date and obligation.end_date < obligation.start_date:
        raise ValidationError("La date de fin ne peut pas précéder la date de début.")


def _check_dates(obligation: Obligation, measure: Measure) -> None:
    """An obligation lies within its measure (R-OBLIGATION-DATES): refused in French."""
    problem = obligation_dates_error(measure, obligation.start_date, obligation.end_date)
    if problem:
        raise Refused(problem)


@transaction.atomic
def add_obligation(
    *,
    acting_user: User,
    measure: Measure,
    obligation: Obligation,
) -> Obligation:
    _check_parameters(obligation)
    _check_dates(obligation, measure)
    obligation.measure = measure
    obligation.created_by = acting_user
    obligation.save()
    details = {"mesure": str(measure.public_id), "type": obligation.obligation_type.code}
    journal(AuditAction.CREATION, acting_user, obligation, measure.person, details=details)
    refresh_compliance([measure.person_id])
    return obligation


@transaction.atomic
def update_obligation(
    *,
    acting_user: User,
    obligation: Obligation,
    changed: list[str],
    expected_version: int | None,
) -> Obligation:
    """Refuses a stale save (optimistic locking) instead of overwriting a colleague's change."""
    if expected_version is None:
        raise ConflictError
    _check_parameters(obligation)
    if {"start_date", "end_date"} & set(changed):
        _check_dates(obligation, obligation.measure)
    obligation.version = save_if_version(
        obligation, OBLIGATION_FIELDS, expected_version, updated_at=timezone.now()
    )
    person = obligation.measure.person
    details = {"champs": changed}
    journal(AuditAction.MODIFICATION, acting_user, obligation, person, details=details)
    refresh_compliance([person.pk])
    return obligation


def add_proof(
    *,
    acting_user: User | None,
    obligation: Obligation,
    proof: Proof,
    checked: CheckedFile | None,
    username: str = "",
) -> Proof:
    """Writes the file first (under a fresh name), then the row and the journal in one
    transaction; the file is removed if the transaction fails. From the person's own space
    there is no acting user: `username` names the person in the journal (and `proof.via_space`
    is set by the caller)."""
    stored = ""
    if checked is not None:
        stored = storage.write(checked.data, checked.kind.extension)
        proof.kind = ProofKind.FICHIER
        proof.stored_path = stored
        proof.original_name = checked.original_name
        proof.content_type = checked.kind.content_type
        proof.size = checked.size
        proof.sha256 = checked.sha256
    try:
        with transaction.atomic():
            proof.obligation = obligation
            proof.uploaded_by = acting_user
            proof.status = ProofStatus.EN_ATTENTE
            proof.save()
            person = obligation.measure.person
            record(
                AuditAction.CREATION,
                actor=acting_user,
                obj=proof,
                person=person,
                object_type="proof",
                username=username,
                details={
                    "obligation": str(obligation.public_id),
                    "nature": proof.kind,
                    "sha256": proof.sha256,
                    "taille": proof.size,
                },
            )
            refresh_compliance([person.pk])
    except BaseException:
        if stored:
            storage.remove(stored)
        raise
    return proof


@transaction.atomic
def decide_proof(
    *,
    acting_user: User,
    proof: Proof,
    status: str,
    reason: str,
) -> Proof:
    """Accepts or refuses a pending justificatif (a refusal needs its reason)."""
    if status not in (ProofStatus.ACCEPTE, ProofStatus.REFUSE):
        raise ValueError(status)
    if status == ProofStatus.REFUSE and not reason.strip():
        raise ValueError("Un refus doit être motivé.")
    now = timezone.now()
    updated = Proof.objects.filter(pk=proof.pk, status=ProofStatus.EN_ATTENTE).update(
        status=status, decision_reason=reason.strip(), decided_by=acting_user, decided_at=now
    )
    if not updated:
        raise ProofAlreadyDecided
    proof.status, proof.decision_reason = status, reason.strip()
    proof.decided_by, proof.decided_at = acting_user, now
    person = proof.obligation.measure.person
    details = {"decision": status, "motif": reason.strip()[:500]}
    journal(
        AuditAction.MODIFICATION, acting_user, proof, person, object_type="proof", details=details
    )
    refresh_compliance([person.pk])
    return proof
