"""The door to measures: through the person's door, so the same rules and journal apply (404
outside the user's scope, a motif for a colleague's file, the consultation journaled).

`people.access.file_record_opener` builds that opener for any record of a person's file (a
measure here; obligations, justificatifs, manquements and registres in the apps above)."""

from __future__ import annotations

from typing import Any

from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.people.access import PersonAccess, file_record_opener
from parcours.people.models import IncarcerationPeriod

from .models import Measure, MeasureSuspension

# Roles that write measures and what hangs on them (obligations, justificatifs, manquements,
# registres); then `PersonAccess.can_edit_measures` decides for the file opened.
WRITERS = (Role.CPIP, Role.DPIP, Role.DFSPIP)

# The opener of `measure_door`: the measure and its person's file.
open_measure = file_record_opener(
    Measure.objects.select_related("measure_type", "tribunal", "person"),
    "person",
    "Mesure introuvable.",
)


# `@measure_door(roles=…, methods=…, allow=…)` → view(request, measure, access).
measure_door: Door[tuple[Measure, PersonAccess]] = Door("mesure", open_measure)
# The same door for URLs that hang a new record on a measure (`measure_id`).
measure_door_by_measure_id = measure_door.keyed_by("measure_id")


# Incarceration periods (on the person) and suspensions (on a measure), through the person's door.
incarceration_door: Door[tuple[IncarcerationPeriod, PersonAccess]] = Door(
    "incarcération",
    file_record_opener(
        IncarcerationPeriod.objects.select_related("person"),
        "person",
        "Période d'incarcération introuvable.",
    ),
)
suspension_door: Door[tuple[MeasureSuspension, PersonAccess]] = Door(
    "suspension",
    file_record_opener(
        MeasureSuspension.objects.select_related("measure", "measure__person"),
        "measure__person",
        "Suspension introuvable.",
    ),
)


def may_edit_measures(request: Any, *opened: Any) -> bool:
    """The `allow` of the doors whose views write on a measure or what hangs on it: the last
    thing a door opens is the person's access (the person door opens only that)."""
    access = opened[-1]
    return isinstance(access, PersonAccess) and access.can_edit_measures
