"""Reads of the dessaisissements: the user's lists, a person's history, and what accepting one
would change (shown before the decision)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from parcours.accounts.models import MANAGER_ROLES, User
from parcours.agenda.models import Appointment
from parcours.measures.models import Measure
from parcours.measures.selectors import current_expected_ends
from parcours.partners.models import Referral
from parcours.people.models import Person
from parcours.rules import handovers as rules
from parcours.rules import referrals
from parcours.rules.measures import CURRENT_STATUSES
from parcours.rules.vocabulary import AppointmentStatus

from .access import handovers_of
from .models import Handover, HandoverQuerySet
from .services import CANCELLED_REFERRALS

RELATED = ("person", "from_spip", "to_spip", "requested_by", "decided_by")


def _waiting_first(rows: HandoverQuerySet) -> HandoverQuerySet:
    waiting = Case(
        When(status=rules.HandoverStatus.EN_ATTENTE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return rows.select_related(*RELATED).order_by(waiting, "-created_at", "-pk")


def received(user: User) -> HandoverQuerySet:
    """The handovers addressed to the manager's SPIP, the waiting ones first."""
    if user.role not in MANAGER_ROLES:
        return Handover.objects.none()
    return _waiting_first(handovers_of(user).filter(to_spip_id=user.spip_id))


def sent(user: User) -> HandoverQuerySet:
    """The handovers the user's side asked: a CPIP's own, the whole service's for a manager."""
    return _waiting_first(handovers_of(user).filter(from_spip_id=user.spip_id))


def of_person(person: Person) -> list[Handover]:
    """The person's handovers, newest first (the file's own history: the person door opened it)."""
    return list(person.handovers.select_related(*RELATED)[:10])


@dataclass(frozen=True)
class Consequences:
    """What accepting would do, counted now."""

    measures: list[Measure]
    appointments_cancelled: int
    referrals_cancelled: int
    referrals_kept: int


def consequences(handover: Handover) -> Consequences:
    person_id = handover.person_id
    measures = list(
        Measure.objects.filter(person_id=person_id, status__in=CURRENT_STATUSES)
        .select_related("measure_type", "tribunal")
        .order_by("-judgment_date", "-pk")
    )
    if measures:
        ends = current_expected_ends(person_id)
        for measure in measures:
            measure.expected_end = ends.get(measure.pk)
    planned = Appointment.objects.filter(
        person_id=person_id,
        status=AppointmentStatus.PLANIFIE,
        starts_at__gte=timezone.now(),
    ).count()
    referral_rows = Referral.objects.filter(
        person_id=person_id, status__in=referrals.OPEN_STATUSES
    ).values_list("status", flat=True)
    statuses = list(referral_rows)
    cancelled = sum(1 for s in statuses if s in CANCELLED_REFERRALS)
    return Consequences(measures, planned, cancelled, len(statuses) - cancelled)


def waiting_days(handover: Handover, today: date) -> int:
    return rules.waiting_days(timezone.localdate(handover.created_at), today)


def mark_late(rows: Iterable[Handover], today: date) -> list[Handover]:
    """The rows, each with `late` set: still waiting after rules.WAITING_DAYS (P-HANDOVER-WAITING),
    counted from the request's local date as the detail page counts its days."""
    marked = list(rows)
    for handover in marked:
        waiting = handover.status == rules.HandoverStatus.EN_ATTENTE
        handover.late = waiting and rules.is_late(timezone.localdate(handover.created_at), today)
    return marked
