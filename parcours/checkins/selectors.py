"""Remote check-in reads: a person's rows (panel, space), the CPIP's list (missed and to review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.people.selectors import followed_people
from parcours.rules.checkins import is_missed
from parcours.rules.vocabulary import CheckinReview

from .models import Checkin, CheckinPlan

if TYPE_CHECKING:
    from parcours.accounts.models import User

STAFF_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)


@dataclass(frozen=True)
class CheckinRow:
    checkin: Checkin
    missed: bool


def rows(checkins: list[Checkin], today: date) -> list[CheckinRow]:
    return [
        CheckinRow(c, is_missed(c.due_date, c.answered_at is not None, today)) for c in checkins
    ]


def due_checkins(person: Person, *, today: date) -> list[Checkin]:
    """What the person has to answer now (their space): unanswered rows due today or before, of
    active plans, oldest first."""
    return list(
        Checkin.objects.filter(
            person_id=person.pk,
            answered_at__isnull=True,
            due_date__lte=today,
            plan__active=True,
        ).order_by("due_date", "pk")
    )


def person_checkins(person: Person, limit: int = 8) -> list[Checkin]:
    return list(Checkin.objects.filter(person_id=person.pk).select_related("reviewed_by")[:limit])


def person_plans(person: Person) -> list[CheckinPlan]:
    return list(
        CheckinPlan.objects.filter(person_id=person.pk)
        .select_related("measure__measure_type")
        .order_by("-active", "-start_date")
    )


def visible_checkins(user: User) -> QuerySet[Checkin]:
    """A CPIP: the people they follow; DPIP/DFSPIP: the SPIP's people."""
    if user.role not in STAFF_ROLES:
        return Checkin.objects.none()
    return Checkin.objects.filter(person__in=followed_people(user).values("pk"))


def to_follow(user: User, *, today: date) -> QuerySet[Checkin]:
    """The CPIP's list: answered rows to review and missed ones, oldest due first."""
    return (
        visible_checkins(user)
        .filter(
            Q(answered_at__isnull=False, review=CheckinReview.A_REVOIR)
            | Q(answered_at__isnull=True, due_date__lt=today)
        )
        .select_related("person")
        .order_by("due_date", "pk")
    )


def person_measures(person: Person) -> list[Measure]:
    return list(
        Measure.objects.filter(person_id=person.pk).select_related("measure_type").order_by("pk")
    )


def measure_choices(person: Person) -> list[tuple[int, str]]:
    """The person's measures, for the plan form."""
    return [
        (m.pk, f"{m.measure_type} (depuis le {m.start_date:%d/%m/%Y})")
        for m in person_measures(person)
    ]
