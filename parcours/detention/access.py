"""The doors of the detention record: case data of the person, so every door opens the person's
file first (people.access.open_person): 404 outside the user's scope (another SPIP's écrou does
not exist), a break-the-glass motif for a colleague's detainee (then read-only), the consultation
journaled. Court roles (JAP, greffe SAP) read the record on the person file; writing is for the
referent CPIP and the SPIP's encadrement (`PersonAccess.can_edit_measures`)."""

from __future__ import annotations

from typing import Any

from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.people.access import PersonAccess, file_record_opener

from .models import Ecrou, SentenceLine

# Roles that write the detention record; then `PersonAccess.can_edit_measures` decides.
WRITERS = (Role.CPIP, Role.DPIP, Role.DFSPIP)
# The simulator: no person data, for the SPIP's probation staff and the court's application
# des peines.
SIMULATOR_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.GREFFE_SAP, Role.JAP)

open_ecrou = file_record_opener(
    Ecrou.objects.select_related("establishment", "person"), "person", "Écrou introuvable."
)
open_sentence = file_record_opener(
    SentenceLine.objects.select_related("ecrou", "ecrou__person"),
    "ecrou__person",
    "Peine introuvable.",
)

# `@ecrou_door(roles=…, methods=…, allow=…)` → view(request, ecrou, access).
ecrou_door: Door[tuple[Ecrou, PersonAccess]] = Door("ecrou", open_ecrou)
# The same door for the URLs that hang a new record on the écrou (`ecrou_id`).
ecrou_door_by_ecrou_id = ecrou_door.keyed_by("ecrou_id")
sentence_door: Door[tuple[SentenceLine, PersonAccess]] = Door("peine", open_sentence)


def may_edit(request: Any, *opened: Any) -> bool:
    """The `allow` of the writing doors: the last thing a door opens is the person's access."""
    access = opened[-1]
    return isinstance(access, PersonAccess) and access.can_edit_measures
