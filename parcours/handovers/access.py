"""Who sees and decides a dessaisissement (ADR 0032).

- Asking: the referent and the encadrement of the person's SPIP (`PersonAccess.can_transfer`,
  as for a transfer inside the service), through the person's door.
- Seeing one: on the sending side, its author and the encadrement of the sending SPIP; on the
  receiving side, the encadrement (DPIP, DFSPIP) of the receiving SPIP, who sees only what the
  decision needs (identity, the current measures, the reason and the new address), journaled
  as a consultation of the person's file. Anyone else: 404, as for any other SPIP's data.
- Deciding (accept, refuse): the receiving encadrement. Withdrawing: the sending side.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Q

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import MANAGER_ROLES, Role, User
from parcours.audit.services import record_consultation
from parcours.core.doors import Door, get_or_404

from .models import Handover, HandoverQuerySet

REQUESTERS = (Role.CPIP, *sorted(MANAGER_ROLES))
DECIDE_DENIED = "Seul l'encadrement du SPIP destinataire accepte ou refuse un dessaisissement."
WITHDRAW_DENIED = "Seul le service d'origine peut retirer sa demande."


def handovers_of(user: User) -> HandoverQuerySet:
    """The handovers the user may see (none outside the SPIP staff who ask or decide)."""
    spip = user.spip_id
    if spip is None or user.role not in REQUESTERS:
        return Handover.objects.none()
    if user.role in MANAGER_ROLES:
        return Handover.objects.filter(Q(from_spip_id=spip) | Q(to_spip_id=spip))
    return Handover.objects.filter(from_spip_id=spip, requested_by=user)


def receives(user: User, handover: Handover) -> bool:
    return user.role in MANAGER_ROLES and handover.to_spip_id == user.spip_id


def sends(user: User, handover: Handover) -> bool:
    return handover.from_spip_id == user.spip_id


def open_handover(request: AuthedRequest, public_id: UUID, *, journal: bool = True) -> Handover:
    """The opener of `handover_door`: one of the user's handovers (404 otherwise); a reading is
    journaled as a consultation of the person's file."""
    handover = get_or_404(
        handovers_of(request.user).select_related(
            "person", "from_spip", "to_spip", "requested_by", "decided_by"
        ),
        "Dessaisissement introuvable.",
        public_id=public_id,
    )
    if journal:
        record_consultation(request.user, handover, handover.person, motif="dessaisissement")
    return handover


handover_door: Door[Handover] = Door("dessaisissement", open_handover)


def may_withdraw(request: Any, handover: Handover) -> bool:
    return sends(request.user, handover)
