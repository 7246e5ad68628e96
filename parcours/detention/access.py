"""The doors of the detention record: case data of the person, so every door opens the person's
file first (people.access.open_person): 404 outside the user's scope (another SPIP's écrou does
not exist), a break-the-glass motif for a colleague's detainee (then read-only), the consultation
journaled. Court roles (JAP, greffe SAP) read the record on the person file; writing is for the
referent CPIP and the SPIP's encadrement (`PersonAccess.can_edit_measures`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.people.access import PersonAccess, open_person
from parcours.people.models import Person

from .models import Ecrou, SentenceLine

# Roles that write the detention record; then `PersonAccess.can_edit_measures` decides.
WRITERS = (Role.CPIP, Role.DPIP, Role.DFSPIP)
# The simulator: no person data, for the SPIP's probation staff and the court's application
# des peines.
SIMULATOR_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.GREFFE_SAP, Role.JAP)

RecordT = TypeVar("RecordT", bound=models.Model)


def _opener(
    rows: models.QuerySet[RecordT], person_path: str, missing: str
) -> Callable[..., tuple[RecordT, PersonAccess]]:
    """The opener `(request, public_id, *, journal=True)` of a record of the detention record:
    looked up within the people the user may see (Http404 otherwise), then the person's door,
    whose person replaces the one read with the record."""

    def opener(
        request: Any, public_id: UUID | str, *, journal: bool = True
    ) -> tuple[RecordT, PersonAccess]:
        visible = Person.objects.visible_to(request.user)
        try:
            record = rows.get(public_id=public_id, **{f"{person_path}__in": visible})
        except (ObjectDoesNotExist, ValueError):
            raise Http404(missing) from None
        holder: Any = record
        *path, name = person_path.split("__")
        for step in path:
            holder = getattr(holder, step)
        access = open_person(request, getattr(holder, name).public_id, journal=journal)
        setattr(holder, name, access.person)
        return record, access

    return opener


open_ecrou = _opener(
    Ecrou.objects.select_related("establishment", "person"), "person", "Écrou introuvable."
)
open_sentence = _opener(
    SentenceLine.objects.select_related("ecrou", "ecrou__person"),
    "ecrou__person",
    "Peine introuvable.",
)

# `@ecrou_door(roles=…, methods=…, allow=…)` → view(request, ecrou, access).
ecrou_door: Door[tuple[Ecrou, PersonAccess]] = Door("ecrou", open_ecrou)
# The same door for the URLs that hang a new record on the écrou (`ecrou_id`).
ecrou_door_by_ecrou_id: Door[tuple[Ecrou, PersonAccess]] = Door(
    "ecrou", open_ecrou, kwarg="ecrou_id"
)
sentence_door: Door[tuple[SentenceLine, PersonAccess]] = Door("peine", open_sentence)


def may_edit(request: Any, *opened: Any) -> bool:
    """The `allow` of the writing doors: the last thing a door opens is the person's access."""
    access = opened[-1]
    return isinstance(access, PersonAccess) and access.can_edit_measures
