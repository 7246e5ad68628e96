"""Scoped door for measures: through the person's door, so the same rules and journal apply."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest

from parcours.people.access import PersonAccess, get_person_for
from parcours.people.models import Person

from .models import Measure


def get_measure_for(
    request: HttpRequest, public_id: UUID, *, journal: bool = True
) -> tuple[Measure, PersonAccess]:
    visible = Person.objects.visible_to(request.user)  # type: ignore[arg-type]
    try:
        measure = Measure.objects.select_related("measure_type", "tribunal", "person").get(
            public_id=public_id, person__in=visible
        )
    except Measure.DoesNotExist:
        raise Http404("Mesure introuvable.") from None
    access = get_person_for(request, measure.person.public_id, journal=journal)
    measure.person = access.person
    return measure, access
