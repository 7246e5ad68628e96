"""Reads of release preparation: the open écrou and its plan for one person (the panel, the
checklist page), the upcoming releases of a CPIP or a service, the first SPIP appointment after
the release, and the facts the indicators count (rules.release)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from parcours.accounts.models import Role, User
from parcours.agenda.models import Appointment
from parcours.detention.models import Ecrou
from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.people.models import Person
from parcours.rules.release import (
    FIRST_APPOINTMENT,
    UPCOMING_DAYS,
    ItemStatus,
    Progress,
    ReleaseFact,
    countdown_label,
    countdown_short,
    is_overdue,
    progress,
)
from parcours.rules.timeline import SURSIS_PROBATOIRE_RENFORCE, SURSIS_TYPES
from parcours.rules.vocabulary import AppointmentStatus, MeasureStatus, Milieu

from .models import ReleaseItem, ReleasePlan

# Appointments that no longer take place do not book the first SPIP meeting.
CANCELLED = (AppointmentStatus.ANNULE, AppointmentStatus.REPORTE)


def open_ecrou(person: Person) -> Ecrou | None:
    """The person's current écrou (not released), with its computed situation and its plan."""
    return (
        Ecrou.objects.filter(person=person, released_on__isnull=True)
        .select_related("situation", "release_plan", "establishment")
        .order_by("-start", "-pk")
        .first()
    )


def expected_release(ecrou: Ecrou) -> date | None:
    """The date the preparation counts down to: the plan's, else the computed release date."""
    plan = getattr(ecrou, "release_plan", None)
    if plan is not None:
        return plan.expected_on
    situation = getattr(ecrou, "situation", None)
    return situation.release_date if situation is not None else None


def following_measures(person_id: int) -> QuerySet[Measure]:
    """The person's current measures of the milieu ouvert (to come, running, suspended by the
    custody): those that the release hands back to the SPIP. The follow-up in detention itself
    (a milieu fermé measure) ends with the release."""
    return Measure.objects.filter(person_id=person_id, status__in=CURRENT_STATUSES).exclude(
        milieu=Milieu.FERME
    )


def probation_follows(person_id: int) -> bool:
    return following_measures(person_id).exists()


def notice_measure(person_id: int) -> Measure | None:
    """The peine mixte whose CPP 741-1 notice is handed before the release: the person's current
    sursis probatoire (renforcé or not), latest judgment first."""
    return (
        following_measures(person_id)
        .filter(measure_type__code__in=SURSIS_TYPES)
        .select_related("measure_type")
        .order_by("-judgment_date", "-pk")
        .first()
    )


def is_renforce(measure: Measure) -> bool:
    return measure.measure_type.code == SURSIS_PROBATOIRE_RENFORCE


def first_appointment_after(person_id: int, release_on: date) -> Appointment | None:
    """The first appointment booked on or after the release date (not cancelled)."""
    return (
        Appointment.objects.filter(person_id=person_id, starts_at__date__gte=release_on)
        .exclude(status__in=CANCELLED)
        .order_by("starts_at")
        .first()
    )


@dataclass
class Checklist:
    """A plan and its items as the panel and the page show them."""

    plan: ReleasePlan
    items: list[ReleaseItem]
    today: date
    countdown: str = ""
    counted: Progress = field(default_factory=lambda: Progress(0, 0))
    overdue: list[ReleaseItem] = field(default_factory=list)

    @property
    def first_appointment_applies(self) -> bool:
        """The first SPIP appointment is to be fixed (its item is not "sans objet": a measure
        follows the release)."""
        return any(
            item.key == FIRST_APPOINTMENT and item.status != ItemStatus.SANS_OBJET
            for item in self.items
        )

    def __post_init__(self) -> None:
        self.countdown = countdown_label(self.plan.expected_on, self.today)
        self.counted = progress(item.status for item in self.items)
        self.overdue = [i for i in self.items if is_overdue(i.status, i.due_on, self.today)]


def checklist(plan: ReleasePlan, today: date) -> Checklist:
    return Checklist(plan, list(plan.items.all()), today)


# Upcoming releases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    person: Person
    ecrou: Ecrou
    expected_on: date
    countdown: str
    plan: ReleasePlan | None
    counted: Progress | None
    overdue: int


def _upcoming_people(user: User, own_only: bool) -> QuerySet[Person]:
    people = Person.objects.visible_to(user)
    if own_only:
        people = people.filter(referent=user)
    return people


def upcoming(
    user: User, today: date, *, own_only: bool, days: int = UPCOMING_DAYS
) -> list[Upcoming]:
    """Open écrous of the user's people (a CPIP's own, or the service's) whose expected release
    falls within `days`, by date, with the countdown and the checklist's progress (one query)."""
    done = Count("release_plan__items", filter=Q(release_plan__items__status=ItemStatus.FAIT))
    applicable = Count(
        "release_plan__items", filter=~Q(release_plan__items__status=ItemStatus.SANS_OBJET)
    )
    late = Count(
        "release_plan__items",
        filter=Q(release_plan__items__status=ItemStatus.A_FAIRE)
        & Q(release_plan__items__due_on__lt=today),
    )
    rows = (
        Ecrou.objects.filter(released_on__isnull=True, person__in=_upcoming_people(user, own_only))
        .annotate(expected=Coalesce("release_plan__expected_on", "situation__release_date"))
        .filter(expected__gte=today, expected__lte=today + timedelta(days=days))
        .select_related("person", "person__referent", "establishment", "release_plan")
        .annotate(done=done, applicable=applicable, late=late)
        .order_by("expected", "pk")
    )
    found = []
    for ecrou in rows:
        plan = getattr(ecrou, "release_plan", None)
        expected: date = ecrou.expected
        found.append(
            Upcoming(
                ecrou.person,
                ecrou,
                expected,
                countdown_short(expected, today),
                plan,
                Progress(ecrou.done, ecrou.applicable) if plan else None,
                ecrou.late,
            )
        )
    return found


# The nightly ----------------------------------------------------------------------------------


def ecrous_to_prepare(today: date, days: int) -> QuerySet[Ecrou]:
    """Open écrous whose computed release falls within `days` and that have no plan yet."""
    return Ecrou.objects.filter(
        released_on__isnull=True,
        release_plan__isnull=True,
        situation__release_date__gte=today,
        situation__release_date__lte=today + timedelta(days=days),
    ).select_related("person", "situation")


def plans_following_situation() -> QuerySet[ReleasePlan]:
    """Plans whose date comes from the situation pénale and no longer matches it."""
    return ReleasePlan.objects.filter(
        date_source="situation",
        ecrou__released_on__isnull=True,
        ecrou__situation__release_date__isnull=False,
    ).exclude(expected_on=F("ecrou__situation__release_date"))


def appointment_items_to_tick(plan_ids: Iterable[int] | None = None) -> QuerySet[ReleaseItem]:
    """ "Premier rendez-vous" items still to do whose person has an appointment booked on or
    after the expected release date."""
    booked = Appointment.objects.filter(
        person_id=OuterRef("plan__person_id"),
        starts_at__date__gte=OuterRef("plan__expected_on"),
    ).exclude(status__in=CANCELLED)
    items = ReleaseItem.objects.filter(key=FIRST_APPOINTMENT, status=ItemStatus.A_FAIRE).filter(
        Exists(booked)
    )
    if plan_ids is not None:
        items = items.filter(plan_id__in=list(plan_ids))
    return items.select_related("plan__person")


# Indicators -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseRow:
    ecrou: Ecrou
    fact: ReleaseFact


def releases(spip_id: int, start: date, end: date) -> list[ReleaseRow]:
    """The releases (écrous with `released_on` in [start, end]) of the SPIP's people, each with
    what the rules read: the release kind, whether a measure follows (a milieu ouvert measure
    not revoked, judged by the release and not ended before it: the suivi en détention, milieu
    fermé, ends with the release and does not count) and the checklist's statuses."""
    follows = (
        Measure.objects.filter(
            person_id=OuterRef("person_id"), judgment_date__lte=OuterRef("released_on")
        )
        .exclude(status=MeasureStatus.REVOQUEE)
        .exclude(milieu=Milieu.FERME)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("released_on")))
    )
    rows = (
        Ecrou.objects.filter(person__spip_id=spip_id, released_on__gte=start, released_on__lte=end)
        .annotate(measure_follows=Exists(follows))
        .select_related("establishment", "release_plan")
        .prefetch_related("release_plan__items")
        .order_by("released_on", "pk")
    )
    found = []
    for ecrou in rows:
        plan = getattr(ecrou, "release_plan", None)
        statuses = tuple(item.status for item in plan.items.all()) if plan else None
        fact = ReleaseFact(ecrou.release_kind, ecrou.measure_follows, statuses)
        found.append(ReleaseRow(ecrou, fact))
    return found


def user_spip_id(user: User) -> int | None:
    return user.spip_id if user.role in (Role.DPIP, Role.DFSPIP) else None


def as_context(**values: Any) -> dict[str, Any]:
    return values
