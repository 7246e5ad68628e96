"""Écrous and their computed situation for the release tests (ORM only: the detention services
and the sentence-date engine are other helpers' work, built in parallel)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.detention.models import Ecrou, SentenceSituation
from parcours.release.models import ReleaseItem, ReleasePlan
from parcours.release.services import prepare_release

_numbers = count(1000)


def prison(spip: Organisation, name: str = "") -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.ETABLISSEMENT,
        name=name or f"Centre pénitentiaire ({spip.name})",
        defaults={"spip": spip, "parent": spip},
    )
    return found


def ecrou(
    person: Any,
    *,
    release_in: int | None = 40,
    released_on: date | None = None,
    release_kind: str = "",
    start: date | None = None,
    establishment: Organisation | None = None,
) -> Ecrou:
    """An écrou of `person` (open unless `released_on`), with a situation whose computed release
    date is `release_in` days from today (none when `release_in` is None)."""
    today = timezone.localdate()
    row = Ecrou.objects.create(
        person=person,
        establishment=establishment or prison(person.spip),
        number=str(next(_numbers)),
        start=start or date(2025, 1, 10),
        released_on=released_on,
        release_kind=release_kind,
    )
    if release_in is not None:
        SentenceSituation.objects.create(
            ecrou=row,
            person=person,
            as_of=today,
            computed_at=timezone.now(),
            fingerprint="test",
            regime="2023",
            release_date=today + timedelta(days=release_in),
        )
    return row


def release_plan(person: Any) -> ReleasePlan:
    """The plan of the person's open écrou (an écrou released in 40 days, its checklist opened
    by the nightly), created once."""
    found = ReleasePlan.objects.filter(person=person, ecrou__released_on__isnull=True).first()
    return found or prepare_release(None, ecrou(person))


def first_item(person: Any) -> ReleaseItem:
    return release_plan(person).items.order_by("due_on", "pk").first()
