"""The door to measures: through the person's door, so the same rules and journal apply (404
outside the user's scope, a motif for a colleague's file, the consultation journaled).

`file_record_opener` builds that opener for any record of a person's file (a measure here;
obligations, justificatifs, manquements and registres in the apps above): the doors of those apps
are built on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.core.doors import Door
from parcours.people.access import PersonAccess, open_person
from parcours.people.models import IncarcerationPeriod, Person

from .models import Measure, MeasureSuspension

# Roles that write measures and what hangs on them (obligations, justificatifs, manquements,
# registres); then `PersonAccess.can_edit_measures` decides for the file opened.
WRITERS = (Role.CPIP, Role.DPIP, Role.DFSPIP)

RecordT = TypeVar("RecordT", bound=models.Model)


def open_on_file(
    request: AuthedRequest,
    rows: models.QuerySet[RecordT],
    public_id: UUID | str,
    *,
    person_path: str,
    missing: str,
    journal: bool,
) -> tuple[RecordT, PersonAccess]:
    """One record of a person's file, by its public id, through the person's door: Http404
    (`missing`) outside the user's scope, then the door of the person reached along
    `person_path` ("person", "measure__person"…; select it in `rows`), which asks a motif when
    needed and journals. The record then holds the person the door opened."""
    visible = Person.objects.visible_to(request.user)
    try:
        record = rows.get(public_id=public_id, **{f"{person_path}__in": visible})
    except (ObjectDoesNotExist, ValueError):
        raise Http404(missing) from None
    *path, name = person_path.split("__")
    holder = reduce(getattr, path, record)
    access = open_person(request, getattr(holder, name).public_id, journal=journal)
    setattr(holder, name, access.person)
    return record, access


def file_record_opener(
    rows: models.QuerySet[RecordT], person_path: str, missing: str
) -> Callable[..., tuple[RecordT, PersonAccess]]:
    """The opener `(request, public_id, *, journal=True)` of a door to the records of `rows`
    (see `open_on_file`)."""

    def opener(
        request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
    ) -> tuple[RecordT, PersonAccess]:
        return open_on_file(
            request, rows, public_id, person_path=person_path, missing=missing, journal=journal
        )

    return opener


# The opener of `measure_door`: the measure and its person's file.
open_measure = file_record_opener(
    Measure.objects.select_related("measure_type", "tribunal", "person"),
    "person",
    "Mesure introuvable.",
)


# `@measure_door(roles=…, methods=…, allow=…)` → view(request, measure, access).
measure_door: Door[tuple[Measure, PersonAccess]] = Door("mesure", open_measure)
# The same door for URLs that hang a new record on a measure (`measure_id`).
measure_door_by_measure_id: Door[tuple[Measure, PersonAccess]] = Door(
    "mesure", open_measure, kwarg="measure_id"
)


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
