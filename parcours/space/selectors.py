"""Reads of the person's own space, each starting from the signed-in person (never from an
identifier alone): another person's appointment or obligation is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote_plus
from uuid import UUID

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from parcours.agenda.models import Appointment, AppointmentReply
from parcours.measures.models import CURRENT_STATUSES
from parcours.obligations.models import Obligation, Proof
from parcours.people.models import Person
from parcours.rules.agenda import AppointmentStatus

from .models import SpaceAccount, SpaceNotice

OSM_SEARCH = "https://www.openstreetmap.org/search?query="


@dataclass(frozen=True)
class UpcomingAppointment:
    appointment: Appointment
    reply: AppointmentReply | None

    @property
    def map_url(self) -> str:
        return OSM_SEARCH + quote_plus(self.appointment.place.full_address)

    @property
    def to_bring(self) -> str:
        return self.appointment.place.documents_to_bring


def upcoming_appointments(person: Person, now: datetime | None = None) -> list[UpcomingAppointment]:
    """The planned appointments to come, each with the person's latest answer."""
    now = now or timezone.now()
    rows = (
        Appointment.objects.filter(
            person_id=person.pk, status=AppointmentStatus.PLANIFIE, starts_at__gte=now
        )
        .select_related("appointment_type", "place", "place__spip")
        .prefetch_related(
            Prefetch("replies", queryset=AppointmentReply.objects.order_by("-created_at", "-pk"))
        )
        .order_by("starts_at")[:20]
    )
    return [UpcomingAppointment(a, next(iter(a.replies.all()), None)) for a in rows]


def appointment_of(person: Person, public_id: UUID) -> Appointment:
    found = (
        Appointment.objects.filter(person_id=person.pk, public_id=public_id)
        .select_related("person")
        .first()
    )
    if found is None:
        raise Http404("Rendez-vous introuvable.")
    return found


def expected_proofs(person: Person, today: date) -> list[Obligation]:
    """The obligations of the current measures that ask for a proof (a kind of proof named or a
    cadence), with their proofs, newest first (the five latest shown)."""
    return list(
        Obligation.objects.filter(
            measure__person_id=person.pk,
            measure__status__in=CURRENT_STATUSES,
            start_date__lte=today,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(~Q(proof_type="") | Q(cadence_months__gt=0))
        .select_related("obligation_type")
        .prefetch_related(Prefetch("proofs", queryset=Proof.objects.order_by("-created_at", "-pk")))
        .order_by("compliance_next_due", "pk")
    )


def obligation_of(person: Person, public_id: UUID, today: date) -> Obligation:
    for obligation in expected_proofs(person, today):
        if obligation.public_id == public_id:
            return obligation
    raise Http404("Obligation introuvable.")


def notices(person: Person) -> list[SpaceNotice]:
    return list(SpaceNotice.objects.filter(person_id=person.pk).order_by("-created_at")[:50])


def unread_notices(person: Person) -> int:
    return SpaceNotice.objects.filter(person_id=person.pk, read_at__isnull=True).count()


def account_of(person: Person) -> SpaceAccount | None:
    return SpaceAccount.objects.filter(person_id=person.pk).select_related("changed_by").first()


def recent_notices(person: Person, limit: int = 5) -> list[SpaceNotice]:
    return list(
        SpaceNotice.objects.filter(person_id=person.pk)
        .select_related("author")
        .order_by("-created_at")[:limit]
    )
