"""Reads of the detention record for lists and the apps above (adjustments, release, demo):
each starts from the user's scope (`Person.objects.visible_to`) or from ids the caller already
scoped. A page that shows one person's record opens it through the person's door instead
(detention.access)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, Max, OuterRef

from parcours.people.models import Person, PersonQuerySet

from .models import Ecrou, SentenceLine, SentenceSituation

if TYPE_CHECKING:
    from parcours.accounts.models import User


def open_ecrou(person: Person) -> Ecrou | None:
    """The person's current écrou (not released), establishment joined; None when free. One
    query."""
    return (
        Ecrou.objects.filter(person=person, released_on__isnull=True)
        .select_related("establishment")
        .order_by("-start", "-pk")
        .first()
    )


def next_sentence_rank(ecrou: Ecrou) -> int:
    """The rank after the écrou's last sentence (1 for the first): what "Ajouter une peine"
    proposes and what a sentence added without a rank gets."""
    top = SentenceLine.objects.filter(ecrou=ecrou).aggregate(top=Max("rank"))["top"]
    return (top or 0) + 1


def latest_ecrou(person: Person) -> Ecrou | None:
    """The current écrou, or the last one when the person is released (the panels): one query,
    establishment and computed situation joined. An open écrou wins over a later-dated
    released one."""
    rows = list(
        Ecrou.objects.filter(person=person)
        .select_related("establishment", "situation")
        .order_by("-start", "-pk")[:2]
    )
    return next((e for e in rows if e.released_on is None), rows[0] if rows else None)


def with_open_ecrou() -> Exists:
    return Exists(Ecrou.objects.filter(person_id=OuterRef("pk"), released_on__isnull=True))


def detainees(user: User) -> PersonQuerySet:
    """The people of the user's scope with an open écrou."""
    return Person.objects.visible_to(user).filter(with_open_ecrou())


def situations_for(person_ids: Iterable[int]) -> dict[int, SentenceSituation]:
    """The computed situation of each person's open écrou, by person id (one query; people
    without an open écrou or not computed yet are absent). The caller scoped the ids."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = (
        SentenceSituation.objects.filter(person_id__in=ids, ecrou__released_on__isnull=True)
        .select_related("ecrou")
        .order_by("ecrou__start", "ecrou_id")
    )
    return {row.person_id: row for row in rows}  # the latest open écrou wins
