"""Doors of the partners app.

- SPIP side: a referral opens through its person's door (`referral_door`: 404 outside the user's
  scope, a motif for a colleague's file, the consultation journaled); writes need
  `PersonAccess.can_edit_measures` (the referent, the encadrement).
- Partner side (`partner_referral_door`): a user of role PARTENAIRE opens only a referral
  addressed to their own organisation and already sent (never a draft): anything else is a 404,
  the same answer as an unknown identifier. Each opening is journaled (CONSULTATION, the person
  concerned, "espace partenaire"). What the partner's pages render is the projection
  (projection.py), never the referral or the person.
- Directory: every SPIP role reads its SPIP's directory and a partner reads its own profile;
  the SPIP's encadrement (DPIP, DFSPIP) and the administrator edit a profile.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.audit.services import record_consultation
from parcours.core.doors import Door, get_or_404
from parcours.measures.access import WRITERS
from parcours.people.access import PersonAccess, file_record_opener
from parcours.rules import referrals as rules
from parcours.rules.roles import SPIP_STAFF_ROLES

from .models import PartnerProfile, Referral

PARTNER_ROLES = (Role.PARTENAIRE,)
REFERRAL_WRITERS = WRITERS
DIRECTORY_READERS = (*sorted(SPIP_STAFF_ROLES), Role.ADMIN, Role.PARTENAIRE)
DIRECTORY_EDITORS = (Role.DPIP, Role.DFSPIP, Role.ADMIN)
MISSING = "Orientation introuvable."

open_referral = file_record_opener(
    Referral.objects.select_related(
        "person", "partner", "obligation__obligation_type", "plan_step__goal__plan"
    ),
    "person",
    MISSING,
)
referral_door: Door[tuple[Referral, PersonAccess]] = Door("orientation", open_referral)


def partner_referrals(user: object) -> QuerySet[Referral]:
    """The referrals a partner user may see: addressed to their organisation, once sent."""
    org_id = getattr(user, "organisation_id", None)
    if getattr(user, "role", None) != Role.PARTENAIRE or org_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(partner_id=org_id, status__in=rules.PARTNER_VISIBLE)


def open_partner_referral(
    request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
) -> Referral:
    referrals = partner_referrals(request.user).select_related(
        "person", "partner", "obligation__obligation_type", "measure__tig_ledger"
    )
    referral = get_or_404(referrals, MISSING, public_id=public_id)
    if journal:
        record_consultation(
            request.user, referral, referral.person, details={"espace": "partenaire"}
        )
    return referral


partner_referral_door: Door[Referral] = Door("orientation (partenaire)", open_partner_referral)


def directory(user: object) -> QuerySet[PartnerProfile]:
    """The profiles a user may read: their SPIP's directory; a partner: its own profile; the
    administrator: every profile."""
    rows = PartnerProfile.objects.select_related("organisation", "spip")
    role = getattr(user, "role", None)
    if role == Role.ADMIN:
        return rows
    org = getattr(user, "organisation", None)
    if org is None:
        return rows.none()
    if role == Role.PARTENAIRE:
        return rows.filter(organisation_id=org.pk)
    if role in SPIP_STAFF_ROLES and org.spip_id:
        return rows.filter(spip_id=org.spip_id)
    return rows.none()


def open_profile(
    request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
) -> PartnerProfile:
    """A directory entry within the user's directory (404 otherwise). The directory holds no
    person data: the consultation is not journaled."""
    return get_or_404(directory(request.user), "Partenaire introuvable.", public_id=public_id)


profile_door: Door[PartnerProfile] = Door("partenaire", open_profile)


def may_edit_profile(request: AuthedRequest, profile: PartnerProfile) -> bool:
    return request.user.role in DIRECTORY_EDITORS
