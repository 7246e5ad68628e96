"""Verb-first writes on measures, journaled in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError
from parcours.core.locking import update_if_version
from parcours.people.models import Person

from .models import Measure


@transaction.atomic
def add_measure(*, acting_user: User, person: Person, measure: Measure) -> Measure:
    measure.person = person
    measure.created_by = acting_user
    measure.save()
    _refresh_person(person.pk)
    record(
        AuditAction.CREATION,
        actor=acting_user,
        obj=measure,
        person_public_id=person.public_id,
        spip_id=person.spip_id,
    )
    return measure


def _refresh_person(person_id: int) -> None:
    """A measure saved during the day updates its person's alerts and compliance at once (the
    nightly run only ages them with the calendar)."""
    from parcours.alerts.services import recompute_alerts
    from parcours.obligations.compliance import refresh_compliance

    recompute_alerts(person_ids=[person_id])
    refresh_compliance([person_id])


@transaction.atomic
def update_measure(
    *,
    acting_user: User,
    measure: Measure,
    changed: list[str],
    expected_version: int | None,
) -> Measure:
    """Refuses a stale save (optimistic locking) instead of overwriting a colleague's change."""
    if expected_version is None:
        raise ConflictError
    fields = [
        "measure_type",
        "tribunal",
        "judgment_date",
        "start_date",
        "end_date",
        "release_date",
        "file_received_on",
        "probation_months",
        "milieu",
        "status",
    ]
    values = {name: getattr(measure, name) for name in fields}
    update_if_version(
        Measure.objects.filter(pk=measure.pk),
        expected_version,
        updated_at=timezone.now(),
        **values,
    )
    measure.version = expected_version + 1
    _refresh_person(measure.person_id)
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=measure,
        person_public_id=measure.person.public_id,
        spip_id=measure.person.spip_id,
        details={"champs": changed},
    )
    return measure
