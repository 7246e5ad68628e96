"""Writing notes: verb-first, one transaction, the audit event in it, every version kept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import Refused
from parcours.core.locking import update_if_version

from .models import Note, NoteVersion
from .sanitize import body_fields, body_problem
from .search import NoteSearch, journal_details

if TYPE_CHECKING:
    from parcours.accounts.models import User
    from parcours.measures.models import Measure
    from parcours.people.models import Person


def _snapshot(note: Note, editor: User) -> NoteVersion:
    return NoteVersion.objects.create(
        note=note,
        version=note.version,
        edited_by=editor,
        kind=note.kind,
        event_date=note.event_date,
        sensitive=note.sensitive,
        body_html=note.body_html,
    )


def _journal(action: AuditAction, acting_user: User, note: Note, **details: object) -> None:
    record(
        action,
        actor=acting_user,
        obj=note,
        person=note.person,
        details=details,
    )


def _check_measure(person: Person, measure: Measure | None) -> None:
    if measure is not None and measure.person_id != person.pk:
        raise ValueError("La mesure doit concerner la même personne.")


def _check_body(body: str) -> None:
    """The length is the server's rule (the browser's maxlength is only a help)."""
    problem = body_problem(body)
    if problem:
        raise Refused(problem)


@transaction.atomic
def create_note(
    *,
    acting_user: User,
    person: Person,
    kind: str,
    event_date: date,
    body: str,
    sensitive: bool = False,
    measure: Measure | None = None,
) -> Note:
    _check_measure(person, measure)
    _check_body(body)
    note = Note.objects.create(
        person=person,
        spip_id=person.spip_id,
        measure=measure,
        kind=kind,
        event_date=event_date,
        author=acting_user,
        sensitive=sensitive,
        **body_fields(body),
    )
    _snapshot(note, acting_user)
    _journal(AuditAction.CREATION, acting_user, note, type=kind, sensible=sensitive)
    return note


@transaction.atomic
def update_note(
    *,
    acting_user: User,
    note: Note,
    expected_version: int | None,
    kind: str,
    event_date: date,
    body: str,
    sensitive: bool,
    measure: Measure | None = None,
) -> Note:
    """Saves a new version; ConflictError when someone saved the note since `expected_version`."""
    _check_measure(note.person, measure)
    _check_body(body)
    update_if_version(
        Note.objects.filter(pk=note.pk),
        expected_version,
        kind=kind,
        event_date=event_date,
        sensitive=sensitive,
        measure=measure,
        updated_at=timezone.now(),
        **body_fields(body),
    )
    note.refresh_from_db()
    _snapshot(note, acting_user)
    _journal(
        AuditAction.MODIFICATION,
        acting_user,
        note,
        version=note.version,
        type=kind,
        sensible=sensitive,
    )
    return note


def journal_search(*, acting_user: User, criteria: NoteSearch, count: int) -> None:
    """A search across the notes is journaled with its criteria and its number of results."""
    record(
        AuditAction.RECHERCHE,
        actor=acting_user,
        object_type="note",
        details=journal_details(criteria, count),
    )
