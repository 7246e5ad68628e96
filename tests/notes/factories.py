from __future__ import annotations

import datetime
from typing import Any

from parcours.notes.models import Note, NoteKind
from parcours.notes.services import create_note


def make_note(
    person: Any,
    *,
    author: Any = None,
    body: str = "Entretien de suivi : point sur la situation.",
    sensitive: bool = False,
    kind: str = NoteKind.ENTRETIEN,
    event_date: datetime.date | None = None,
) -> Note:
    return create_note(
        acting_user=author or person.referent,
        person=person,
        kind=kind,
        event_date=event_date or datetime.date(2026, 1, 15),
        body=body,
        sensitive=sensitive,
    )


def first_note(person: Any) -> Note:
    found = Note.objects.filter(person=person, sensitive=False).order_by("pk").first()
    return found or make_note(person)
