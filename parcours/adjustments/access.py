"""The doors of the adjustments app (milieu fermé).

- Opportunities and marks: a CPIP sees the detainees they follow (referent, open écrou); the
  DPIP / DFSPIP every detainee of their SPIP. Anyone else: 403 before any lookup.
- A person's page and a mark open through the person's door (404 outside the SPIP, motif for a
  colleague, journal).
- Commissions (CAP): the encadrement (DPIP / DFSPIP) of the SPIP builds them and records the
  decisions; a commission of another SPIP is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet

from parcours.accounts.models import Role
from parcours.audit.services import record_consultation
from parcours.core.doors import Door, get_or_404
from parcours.detention.models import Ecrou
from parcours.people.access import PersonAccess, open_person
from parcours.people.models import Person
from parcours.people.selectors import followed_people

from .models import AdjustmentMark, Commission, CommissionItem

if TYPE_CHECKING:
    from parcours.accounts.models import User

RowT = TypeVar("RowT", Commission, CommissionItem, AdjustmentMark)
PersonRowT = TypeVar("PersonRowT", CommissionItem, AdjustmentMark)

OPPORTUNITY_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)
MANAGER_ROLES = (Role.DPIP, Role.DFSPIP)


def detainees_for(user: User) -> QuerySet[Person]:
    """People with an open écrou in the user's scope: the CPIP's own (referent), the SPIP's for
    the encadrement, nobody for anyone else."""
    if user.role not in OPPORTUNITY_ROLES or user.spip_id is None:
        return Person.objects.none()
    return followed_people(user).filter(
        Exists(Ecrou.objects.filter(person_id=OuterRef("pk"), released_on__isnull=True))
    )


def visible_commissions(user: User) -> QuerySet[Commission]:
    if user.role not in MANAGER_ROLES or user.spip_id is None:
        return Commission.objects.none()
    return Commission.objects.filter(spip_id=user.spip_id)


MARK_DENIED = "Vous pouvez consulter ce dossier mais pas marquer ses aménagements."


def may_mark(request: Any, access: PersonAccess) -> bool:
    """Reading is the person door's; marking is the referent's and the encadrement's."""
    return request.method == "GET" or access.can_edit_measures


def _with_person(request: Any, row: PersonRowT, journal: bool) -> tuple[PersonRowT, PersonAccess]:
    """The row and its person's access, through the person's door (motif, journal)."""
    access = open_person(request, row.person.public_id, journal=journal)
    row.person = access.person
    return row, access


def open_commission(request: Any, public_id: UUID | str, *, journal: bool = True) -> Commission:
    commission = get_or_404(
        visible_commissions(request.user).select_related("establishment", "spip", "created_by"),
        "Commission introuvable.",
        public_id=public_id,
    )
    if journal:
        record_consultation(
            request.user,
            commission,
            None,
            object_type="commission",
            spip_id=commission.spip_id,
            details={"date": commission.held_on.isoformat()},
        )
    return commission


def open_item(
    request: Any, public_id: UUID | str, *, journal: bool = True
) -> tuple[CommissionItem, PersonAccess]:
    rows = CommissionItem.objects.filter(commission__in=visible_commissions(request.user))
    item = get_or_404(
        rows.select_related("commission__establishment", "person", "avis"),
        "Inscription introuvable.",
        public_id=public_id,
    )
    return _with_person(request, item, journal)


def open_mark(
    request: Any, public_id: UUID | str, *, journal: bool = True
) -> tuple[AdjustmentMark, PersonAccess]:
    rows = AdjustmentMark.objects.filter(person__in=detainees_for(request.user))
    mark = get_or_404(
        rows.select_related("person", "marked_by"), "Marque introuvable.", public_id=public_id
    )
    return _with_person(request, mark, journal)


commission_door: Door[Commission] = Door("commission", open_commission)
item_door: Door[tuple[CommissionItem, PersonAccess]] = Door("inscription CAP", open_item)
mark_door: Door[tuple[AdjustmentMark, PersonAccess]] = Door("marque d'aménagement", open_mark)
