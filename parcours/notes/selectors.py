"""Reads of notes for the views: one person's notes, a note's versions. Each starts from the
notes the user may read (`access.visible_notes`); the search is `search.search_notes`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .access import visible_notes
from .models import Note, NoteVersion

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.accounts.models import User
    from parcours.people.access import PersonAccess


def person_notes(user: User, access: PersonAccess, kind: str = "") -> QuerySet[Note]:
    """The notes of an opened file, newest event first; `kind` one of NoteKind or ""."""
    notes = visible_notes(user, access).select_related("author", "measure__measure_type")
    if kind:
        notes = notes.filter(kind=kind)
    return notes.order_by("-event_date", "-pk")


def note_versions(note: Note) -> QuerySet[NoteVersion]:
    """Every saved state of an opened note, newest first, with its editor."""
    return note.versions.select_related("edited_by")
