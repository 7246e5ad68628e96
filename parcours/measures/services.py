"""Verb-first writes on measures, journaled in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import save_if_version
from parcours.people.models import IncarcerationPeriod, Person

from .models import EDITABLE_FIELDS, Measure, MeasureSuspension
from .signals import measure_changed


def journal(action: str, actor: User, obj: Any, person: Person, **extra: Any) -> None:
    """The journal row of a write on `person`'s file (a measure, or what hangs on it in the apps
    above: obligations, justificatifs, manquements, registres), in the caller's transaction."""
    record(
        action,
        actor=actor,
        obj=obj,
        person=person,
        **extra,
    )


@transaction.atomic
def add_measure(*, acting_user: User, person: Person, measure: Measure) -> Measure:
    measure.person = person
    measure.created_by = acting_user
    measure.save()
    _refresh_person(person.pk)
    journal(AuditAction.CREATION, acting_user, measure, person)
    return measure


def _refresh_person(person_id: int) -> None:
    """A measure saved during the day updates its person's alerts and compliance at once (the
    receivers of `measure_changed`, in the alerts and obligations apps)."""
    measure_changed.send(sender=Measure, person_ids=[person_id])


@transaction.atomic
def update_measure(
    *,
    acting_user: User,
    measure: Measure,
    changed: list[str],
    expected_version: int | None,
) -> Measure:
    """Refuses a stale save (optimistic locking) instead of overwriting a colleague's change."""
    _save_versioned(
        acting_user, measure, EDITABLE_FIELDS, measure.person, changed, expected_version
    )
    return measure


def _create(acting_user: User, record: Any, person: Person) -> None:
    """A new record of the measure's timeline: saved, the person's alerts and compliance
    refreshed, the creation journaled."""
    record.created_by = acting_user
    record.save()
    _refresh_person(person.pk)
    journal(AuditAction.CREATION, acting_user, record, person)


def _save_versioned(
    acting_user: User,
    record: Any,
    fields: Sequence[str],
    person: Person,
    changed: list[str],
    expected_version: int | None,
) -> None:
    """The versioned write shared by the measure and its timeline's records: a stale version is
    a conflict (409), never an overwrite; then the person's alerts and compliance are refreshed
    and the change journaled."""
    if expected_version is None:
        raise ConflictError
    record.version = save_if_version(record, fields, expected_version, updated_at=timezone.now())
    _refresh_person(person.pk)
    journal(AuditAction.MODIFICATION, acting_user, record, person, details={"champs": changed})


PERIOD_FIELDS = ("start", "end", "establishment", "source")
SUSPENSION_FIELDS = ("reason", "start", "end", "source")


@transaction.atomic
def add_incarceration(
    *, acting_user: User, person: Person, period: IncarcerationPeriod
) -> IncarcerationPeriod:
    """An incarceration of the person: it suspends all their measures (CP art. 132-43, 131-22)."""
    period.person = person
    _create(acting_user, period, person)
    return period


@transaction.atomic
def update_incarceration(
    *,
    acting_user: User,
    period: IncarcerationPeriod,
    changed: list[str],
    expected_version: int | None,
) -> IncarcerationPeriod:
    if held_by_ecrou(period):
        raise Refused(HELD_BY_ECROU)
    _save_versioned(acting_user, period, PERIOD_FIELDS, period.person, changed, expected_version)
    return period


HELD_BY_ECROU = (
    "Cette période d'incarcération suit l'écrou enregistré dans le dossier de détention : "
    "modifiez l'écrou (date d'écrou, libération) dans le panneau « Détention »."
)


def held_by_ecrou(period: IncarcerationPeriod) -> bool:
    """Whether the detention record keeps this period in step with an écrou (the detention
    app's reverse one-to-one "ecrou": a sibling app, read by name, not imported)."""
    return IncarcerationPeriod.objects.filter(pk=period.pk, ecrou__isnull=False).exists()


@transaction.atomic
def add_suspension(
    *, acting_user: User, measure: Measure, suspension: MeasureSuspension
) -> MeasureSuspension:
    suspension.measure = measure
    _create(acting_user, suspension, measure.person)
    return suspension


@transaction.atomic
def update_suspension(
    *,
    acting_user: User,
    suspension: MeasureSuspension,
    person: Person,
    changed: list[str],
    expected_version: int | None,
) -> MeasureSuspension:
    _save_versioned(acting_user, suspension, SUSPENSION_FIELDS, person, changed, expected_version)
    return suspension
