"""The door to one check-in: the referent CPIP and the SPIP's management (selectors.
visible_checkins); anything else is a 404; the consultation is journaled."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from parcours.audit.services import record_consultation
from parcours.core.doors import Door, get_or_404

from .models import Checkin
from .selectors import STAFF_ROLES, visible_checkins

if TYPE_CHECKING:
    from parcours.accounts.http import AuthedRequest

READERS = STAFF_ROLES


def open_checkin(request: AuthedRequest, public_id: UUID | str, *, journal: bool = True) -> Checkin:
    checkins = visible_checkins(request.user).select_related("person", "plan", "reviewed_by")
    checkin = get_or_404(checkins, "Contrôle introuvable.", public_id=public_id)
    if journal:
        record_consultation(request.user, checkin, checkin.person)
    return checkin


checkin_door: Door[Checkin] = Door("controle", open_checkin)
