"""Reads of the person's own space, each starting from the signed-in person (never from an
identifier alone): another person's appointment or obligation is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from urllib.parse import quote_plus
from uuid import UUID

from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from parcours.agenda.models import Appointment, AppointmentReply
from parcours.assessments.models import DigitalSelfAssessment
from parcours.checkins import selectors as checkin_selectors
from parcours.checkins.models import Checkin, CheckinPlan
from parcours.measures.models import CURRENT_STATUSES
from parcours.obligations.models import Obligation, Proof
from parcours.people.models import Person
from parcours.rules.agenda import AppointmentStatus
from parcours.rules.vocabulary import CheckinReview

from .models import SpaceAccount, SpaceNotice

OSM_SEARCH = "https://www.openstreetmap.org/search?query="

RowT = TypeVar("RowT", bound=Model)


def _own(rows: QuerySet[RowT], person: Person, public_id: UUID, missing: str) -> RowT:
    """One of the person's own rows; another person's (or an unknown one) is a 404."""
    found = rows.filter(person_id=person.pk, public_id=public_id).first()
    if found is None:
        raise Http404(missing)
    return found


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
    rows = Appointment.objects.select_related("person")
    return _own(rows, person, public_id, "Rendez-vous introuvable.")


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


# --- Remote check-ins and the digital self-assessment (issue 18, items 2 and 4) -----------------


@dataclass(frozen=True)
class AnsweredCheckin:
    checkin: Checkin

    @property
    def state(self) -> str:
        """The CPIP's review in simple words (never the CPIP's comment)."""
        if self.checkin.review == CheckinReview.A_REVOIR:
            return "reçu"
        return "vu par votre conseiller"


def has_checkins(person: Person) -> bool:
    return CheckinPlan.objects.filter(person_id=person.pk).exists()


def due_checkins(person: Person, today: date) -> list[Checkin]:
    return checkin_selectors.due_checkins(person, today=today)


def answered_checkins(person: Person, limit: int = 5) -> list[AnsweredCheckin]:
    rows = Checkin.objects.filter(person_id=person.pk, answered_at__isnull=False).order_by(
        "-answered_at", "-pk"
    )[:limit]
    return [AnsweredCheckin(c) for c in rows]


def checkin_of(person: Person, public_id: UUID) -> Checkin:
    return _own(Checkin.objects.select_related("plan"), person, public_id, "Contrôle introuvable.")


def last_digital(person: Person) -> DigitalSelfAssessment | None:
    """The person's latest digital-skills self-assessment (any channel)."""
    return (
        DigitalSelfAssessment.objects.filter(person_id=person.pk)
        .order_by("-filled_on", "-pk")
        .first()
    )


# The suggested plan steps (rules.assessments.DIGITAL_STEPS) said in simple words to the person.
SIMPLE_STEPS = {
    "acces_equipement": "un lieu près de chez vous pour utiliser un ordinateur et internet",
    "atelier_inclusion_numerique": "un atelier pour apprendre à utiliser internet",
    "adresse_courriel": "de l'aide pour créer votre adresse e-mail",
    "accompagnement_demarches": "de l'aide pour faire vos démarches sur internet "
    "(CAF, impôts, santé)",
    "recherche_emploi_en_ligne": "un atelier pour chercher un emploi sur internet",
}


def simple_suggestions(entry: DigitalSelfAssessment) -> list[str]:
    return [
        SIMPLE_STEPS.get(str(step.get("key", "")), str(step.get("label", "")))
        for step in entry.suggestions or []
    ]
