"""Doors to obligations and justificatifs: through the person's door, so the same rules (404
outside the SPIP, motif for a colleague's file) and the same journal apply."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.audit.services import record_consultation
from parcours.core.doors import Door
from parcours.measures.access import WRITERS
from parcours.people.access import PersonAccess, file_record_opener
from parcours.rules.roles import may_read_obligation_details

from .models import Obligation, Proof

# Roles that may write obligations and justificatifs (then `access.can_edit_measures` decides).
WRITER_ROLES = WRITERS
# Roles that may open a justificatif's file. The secretariat sees every file of the service for
# the agenda, but not the content of proofs (care attestations are health data). Proofs of a
# health obligation (rules.roles.HEALTH_OBLIGATIONS): HEALTH_READER_ROLES only (no surveillant).
FILE_READER_ROLES = (
    Role.CPIP,
    Role.DPIP,
    Role.DFSPIP,
    Role.PSYCHOLOGUE,
    Role.SURVEILLANT,
    Role.JAP,
    Role.GREFFE_SAP,
)


open_obligation = file_record_opener(
    Obligation.objects.select_related(
        "obligation_type", "measure__measure_type", "measure__person"
    ),
    "measure__person",
    "Obligation introuvable.",
)
open_proof = file_record_opener(
    Proof.objects.select_related("obligation__obligation_type", "obligation__measure__person"),
    "obligation__measure__person",
    "Justificatif introuvable.",
)


def open_proof_file(
    request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
) -> tuple[Proof, PersonAccess]:
    """A justificatif with a file; the consultation journaled is the file's (with its name and
    SHA-256), with the motif of the person's file."""
    proof, access = open_proof(request, public_id, journal=False)
    if not proof.has_file:
        raise Http404("Ce justificatif n'a pas de fichier.")
    if not may_read_obligation_details(
        request.user.role, proof.obligation.obligation_type.code, break_glass=access.is_break_glass
    ):
        # Care attestations are health data (R-HEALTH-PROOFS): a role that may open the file
        # but not this kind of proof, or a CPIP colleague who opened the file with a motif,
        # gets a 403, as any page its role may not use.
        raise PermissionDenied(
            "Ce justificatif relève du suivi de soins : il est réservé au CPIP référent, à "
            "l'encadrement et au psychologue du service."
        )
    if journal:
        record_consultation(
            request.user,
            proof,
            access.person,
            object_type="proof",
            motif=access.motif,
            motif_detail=access.motif_detail,
            details={"fichier": proof.original_name, "sha256": proof.sha256},
        )
    return proof, access


obligation_door: Door[tuple[Obligation, PersonAccess]] = Door("obligation", open_obligation)
# The same door for URLs that hang a new record on an obligation (`obligation_id`).
obligation_door_by_obligation_id = obligation_door.keyed_by("obligation_id")
proof_door: Door[tuple[Proof, PersonAccess]] = Door("justificatif", open_proof)
proof_file_door: Door[tuple[Proof, PersonAccess]] = Door("justificatif", open_proof_file)
