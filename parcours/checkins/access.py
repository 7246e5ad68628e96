"""The door to one check-in: the referent CPIP and the SPIP's management (selectors.
visible_checkins); anything else is a 404; the consultation is journaled."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.http import Http404

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.doors import Door

from .models import Checkin
from .selectors import STAFF_ROLES, visible_checkins

if TYPE_CHECKING:
    from parcours.accounts.http import AuthedRequest

READERS = STAFF_ROLES


def open_checkin(request: AuthedRequest, public_id: UUID | str, *, journal: bool = True) -> Checkin:
    try:
        checkin = (
            visible_checkins(request.user)
            .select_related("person", "plan", "reviewed_by")
            .get(public_id=public_id)
        )
    except (Checkin.DoesNotExist, ValueError):
        raise Http404("Contrôle introuvable.") from None
    if journal:
        record(AuditAction.CONSULTATION, actor=request.user, obj=checkin, person=checkin.person)
    return checkin


checkin_door: Door[Checkin] = Door("controle", open_checkin)
