"""The doors of the detention record: case data of the person, so every door opens the person's
file first (people.access.open_person): 404 outside the user's scope (another SPIP's écrou does
not exist), a break-the-glass motif for a colleague's detainee (then read-only), the consultation
journaled. Court roles (JAP, greffe SAP) read the record on the person file; writing is for the
referent CPIP and the SPIP's encadrement (`PersonAccess.can_edit_measures`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.people.access import PersonAccess, file_record_opener

from .models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    Transfer,
)

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

# The entries of an écrou that are corrected or deleted one by one (views.ENTRIES names their
# kinds in the URLs).
EcrouEntry = PriorCustody | ReductionDecision | DisciplinarySanction | Transfer
ENTRY_MISSING = "Saisie introuvable."
ENTRY_OPENERS: tuple[Callable[..., tuple[EcrouEntry, PersonAccess]], ...] = (
    file_record_opener(
        PriorCustody.objects.select_related("ecrou", "ecrou__person"),
        "ecrou__person",
        ENTRY_MISSING,
    ),
    file_record_opener(
        ReductionDecision.objects.select_related("ecrou", "ecrou__person"),
        "ecrou__person",
        ENTRY_MISSING,
    ),
    file_record_opener(
        DisciplinarySanction.objects.select_related("ecrou", "ecrou__person"),
        "ecrou__person",
        ENTRY_MISSING,
    ),
    file_record_opener(
        Transfer.objects.select_related("ecrou", "ecrou__person", "to_establishment"),
        "ecrou__person",
        ENTRY_MISSING,
    ),
)


def open_entry(
    request: AuthedRequest, public_id: Any, *, journal: bool = True
) -> tuple[EcrouEntry, PersonAccess]:
    """An entry of an écrou by its public id, whichever its kind (public ids are unique UUIDs):
    the first table that has it, within the user's scope, then the person's door."""
    for opener in ENTRY_OPENERS:
        try:
            return opener(request, public_id, journal=journal)
        except Http404:
            continue
    raise Http404(ENTRY_MISSING)


# `@entry_door(…)` → view(request, entry, access, kind).
entry_door: Door[tuple[EcrouEntry, PersonAccess]] = Door("saisie", open_entry)


def may_edit(request: Any, *opened: Any) -> bool:
    """The `allow` of the writing doors: the last thing a door opens is the person's access."""
    access = opened[-1]
    return isinstance(access, PersonAccess) and access.can_edit_measures
