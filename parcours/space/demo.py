"""Demo data of the person's own space: the space opened for three people of cpip.demo's
caseload in Lille who have a mobile, a planned appointment and an obligation asking for a proof.
The first one gets a fixed mobile and birth date (README, "Espace personnel"), a notice from
cpip.demo and, unless the check-ins demo already gave them one, a weekly remote check-in (one
answered and seen, one overdue, today's due). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from parcours.accounts.demo import MAIN_CPIP
from parcours.accounts.models import Organisation, User
from parcours.checkins import services as checkin_services
from parcours.checkins.models import Checkin, CheckinPlan
from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.people.models import Person
from parcours.rules.agenda import AppointmentStatus
from parcours.rules.vocabulary import CheckinReview, CheckinRhythm

from .models import SpaceAccount, SpaceNotice

DEMO_PHONE = "+33612180018"  # 06 12 18 00 18
DEMO_BIRTH_DATE = date(1990, 7, 14)
NOTICE = (
    "Bonjour. N'oubliez pas d'envoyer votre attestation de suivi avant la fin du mois. "
    "Vous pouvez la photographier et l'envoyer depuis la page « Mes justificatifs »."
)


@transaction.atomic
def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    cpip = users.get(MAIN_CPIP)
    if cpip is None or SpaceAccount.objects.filter(person__referent=cpip).exists():
        return {}
    now = timezone.now()
    candidates = (
        Person.objects.filter(
            referent=cpip,
            no_phone=False,
            refuses_sms=False,
            appointments__status=AppointmentStatus.PLANIFIE,
            appointments__starts_at__gt=now,
            measures__status__in=CURRENT_STATUSES,
            measures__obligations__proof_type__gt="",
            measures__obligations__start_date__lte=now.date(),
            measures__obligations__end_date__isnull=True,
        )
        .exclude(phone="")
        .distinct()
        .order_by("pk")[:3]
    )
    people = list(candidates)
    for index, person in enumerate(people):
        if index == 0:
            Person.objects.filter(pk=person.pk).update(phone=DEMO_PHONE, birth_date=DEMO_BIRTH_DATE)
            SpaceNotice.objects.create(person=person, author=cpip, text=NOTICE, created_at=now)
            _checkin_plan(person, cpip)
        SpaceAccount.objects.create(person=person, enabled=True, changed_at=now, changed_by=cpip)
    return {"space_accounts": len(people)}


def _checkin_plan(person: Person, cpip: User) -> None:
    """A weekly remote check-in for the demo person: answered and seen two weeks ago, missed last
    week (still open: it can be answered late), due today."""
    if CheckinPlan.objects.filter(person=person).exists():
        return
    measure = (
        Measure.objects.filter(person=person, status__in=CURRENT_STATUSES).order_by("pk").first()
    )
    if measure is None:
        return
    today = timezone.localdate()
    plan = checkin_services.save_plan(
        acting_user=cpip,
        person=person,
        measure=measure,
        data=checkin_services.PlanData(
            rhythm=CheckinRhythm.JOURS,
            every_days=7,
            weekday=None,
            start_date=today - timedelta(days=14),
            end_date=None,
            active=True,
        ),
    )
    oldest = Checkin.objects.filter(plan=plan).order_by("due_date").first()
    if oldest is not None:
        checkin_services.submit_checkin(oldest, {"message": "Rien de nouveau. Tout va bien."})
        checkin_services.review_checkin(
            acting_user=cpip, checkin=oldest, review=CheckinReview.VU, comment=""
        )
