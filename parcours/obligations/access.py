"""Scoped doors for obligations and justificatifs: through the person's door, so the same rules
(404 outside the SPIP, motif for a colleague's file) and the same journal apply."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest

from parcours.accounts.models import Role
from parcours.people.access import PersonAccess, get_person_for
from parcours.people.models import Person

from .models import Obligation, Proof

# Roles that may write obligations and justificatifs (then `access.can_edit_measures` decides).
WRITER_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)
# Roles that may open a justificatif's file. The secretariat sees every file of the service for
# the agenda, but not the content of proofs (care attestations are health data).
FILE_READER_ROLES = (
    Role.CPIP,
    Role.DPIP,
    Role.DFSPIP,
    Role.PSYCHOLOGUE,
    Role.SURVEILLANT,
    Role.JAP,
    Role.GREFFE_SAP,
)


def get_obligation_for(
    request: HttpRequest, public_id: UUID, *, journal: bool = True
) -> tuple[Obligation, PersonAccess]:
    visible = Person.objects.visible_to(request.user)  # type: ignore[arg-type]
    try:
        obligation = Obligation.objects.select_related(
            "obligation_type", "measure__measure_type", "measure__person"
        ).get(public_id=public_id, measure__person__in=visible)
    except Obligation.DoesNotExist:
        raise Http404("Obligation introuvable.") from None
    access = get_person_for(request, obligation.measure.person.public_id, journal=journal)
    obligation.measure.person = access.person
    return obligation, access


def get_proof_for(
    request: HttpRequest, public_id: UUID, *, journal: bool = True
) -> tuple[Proof, PersonAccess]:
    visible = Person.objects.visible_to(request.user)  # type: ignore[arg-type]
    try:
        proof = Proof.objects.select_related(
            "obligation__obligation_type", "obligation__measure__person"
        ).get(public_id=public_id, obligation__measure__person__in=visible)
    except Proof.DoesNotExist:
        raise Http404("Justificatif introuvable.") from None
    access = get_person_for(request, proof.obligation.measure.person.public_id, journal=journal)
    proof.obligation.measure.person = access.person
    return proof, access
