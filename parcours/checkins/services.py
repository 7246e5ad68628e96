"""Remote check-in writes: the CPIP's plan, the due rows, the person's answer, the CPIP's review.
Each in one transaction, journaled. A missed check-in never creates a breach (rules.checkins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import update_if_version
from parcours.obligations import storage
from parcours.obligations.uploads import check_upload
from parcours.rules.checkins import due_dates, rhythm_problem
from parcours.rules.vocabulary import CheckinReview

from .models import Checkin, CheckinPlan

if TYPE_CHECKING:
    from parcours.accounts.models import User
    from parcours.measures.models import Measure
    from parcours.people.models import Person

PROOF_FOLDER = "controles"
NOT_DUE = "Ce contrôle n'est pas encore ouvert : revenez à la date prévue."
ALREADY = "Ce contrôle a déjà été envoyé."


@dataclass(frozen=True)
class PlanData:
    rhythm: str
    every_days: int | None
    weekday: int | None
    start_date: date
    end_date: date | None
    active: bool


def _check(data: PlanData) -> None:
    problem = rhythm_problem(data.rhythm, data.every_days, data.weekday)
    if problem:
        raise Refused(problem)
    if data.end_date is not None and data.end_date < data.start_date:
        raise Refused("La date de fin précède la date de début.")


@transaction.atomic
def save_plan(
    *,
    acting_user: User,
    person: Person,
    measure: Measure,
    data: PlanData,
    version: int | None = None,
) -> CheckinPlan:
    """Creates the plan of a person and measure, or updates it (optimistic locking on
    `version`); due rows up to today are generated at once."""
    _check(data)
    values = {
        "rhythm": data.rhythm,
        "every_days": data.every_days,
        "weekday": data.weekday,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "active": data.active,
    }
    plan = CheckinPlan.objects.filter(person=person, measure=measure).first()
    if plan is None:
        plan = CheckinPlan.objects.create(
            person=person, measure=measure, created_by=acting_user, **values
        )
        action = AuditAction.CREATION
    else:
        update_if_version(CheckinPlan.objects.filter(pk=plan.pk), version, **values)
        plan.refresh_from_db()
        action = AuditAction.MODIFICATION
    record(
        action,
        actor=acting_user,
        obj=plan,
        person=person,
        details={"rythme": data.rhythm, "actif": data.active},
    )
    generate_checkins(plan, today=timezone.localdate())
    return plan


def generate_checkins(plan: CheckinPlan, *, today: date) -> int:
    """The due rows of an active plan up to `today` (idempotent)."""
    if not plan.active:
        return 0
    dates = due_dates(
        plan.rhythm,
        every_days=plan.every_days,
        weekday=plan.weekday,
        start=plan.start_date,
        end=plan.end_date,
        until=today,
    )
    existing = set(plan.checkins.values_list("due_date", flat=True))
    rows = [
        Checkin(plan=plan, person_id=plan.person_id, due_date=day)
        for day in dates
        if day not in existing
    ]
    Checkin.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def generate_all(*, today: date) -> int:
    """Nightly (`manage.py generate_checkins`): the due rows of every active plan."""
    plans = CheckinPlan.objects.filter(active=True, start_date__lte=today)
    return sum(generate_checkins(plan, today=today) for plan in plans.iterator())


@transaction.atomic
def submit_checkin(
    checkin: Checkin, answers: dict[str, Any], upload: UploadedFile | None = None
) -> Checkin:
    """The person's answer (from their space; no staff actor): situation changes, address, work,
    a free message, an optional proof (same content checks as the justificatifs)."""
    locked = Checkin.objects.select_for_update().select_related("person").get(pk=checkin.pk)
    if locked.answered_at is not None:
        raise Refused(ALREADY)
    if locked.due_date > timezone.localdate():
        raise Refused(NOT_DUE)
    stored = ""
    name = ""
    if upload is not None:
        checked = check_upload(upload)  # ValidationError with a French message
        stored = storage.write(checked.data, checked.kind.extension, PROOF_FOLDER)
        name = checked.original_name
    locked.answered_at = timezone.now()
    locked.situation_changed = bool(answers.get("situation_changed"))
    locked.address = str(answers.get("address", "")).strip()[:300]
    locked.work = str(answers.get("work", "")).strip()[:300]
    locked.message = str(answers.get("message", "")).strip()[:2000]
    locked.proof_path, locked.proof_name = stored, name
    locked.save()
    record(
        AuditAction.MODIFICATION,
        obj=locked,
        person=locked.person,
        username="la personne (espace personnel)",
        details={"contrôle à distance": "envoyé", "justificatif": bool(stored)},
    )
    return locked


def review_token(checkin: Checkin) -> str:
    """The review state a page shows: when it was last reviewed ("" for never)."""
    return checkin.reviewed_at.isoformat() if checkin.reviewed_at else ""


@transaction.atomic
def review_checkin(
    *,
    acting_user: User,
    checkin: Checkin,
    review: str,
    comment: str,
    read_token: str | None = None,
) -> Checkin:
    """The CPIP's review: seen, or follow-up needed (with a comment). Never a breach. With
    `read_token` (review_token of the page read), a review saved by someone else since then is
    not overwritten: ConflictError (409)."""
    review = CheckinReview(review)
    if review is CheckinReview.A_REVOIR:
        raise Refused("Choisissez « Vu » ou « Suite à donner ».")
    locked = Checkin.objects.select_for_update().get(pk=checkin.pk)
    if read_token is not None and review_token(locked) != read_token:
        raise ConflictError(
            "Ce contrôle a été revu par quelqu'un d'autre entre-temps. Rechargez la page pour "
            "voir sa revue avant d'en enregistrer une autre."
        )
    Checkin.objects.filter(pk=checkin.pk).update(
        review=review,
        review_comment=comment.strip()[:1000],
        reviewed_at=timezone.now(),
        reviewed_by=acting_user,
    )
    checkin.refresh_from_db()
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=checkin,
        person=checkin.person,
        details={"revue": review.label},
    )
    return checkin
