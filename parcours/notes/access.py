"""The one door to case notes.

Lists and search: `visible_notes(user)` (or `visible_notes(user, access)` for one person file
already opened through `people.access.get_person_for`). Single notes: `get_note_for(request, id)`.

Rules (shared security.md, "Case notes"; docs/access-matrix.md):
- Only the SPIP's social work roles read notes (NOTE_ROLES): the JAP and greffe never see working
  notes, nor do the secrétariat, partners or administrators (403 before any lookup).
- Another SPIP's note: 404, always (through `Person.objects.visible_to`).
- A sensitive note: its author and the DPIP/DFSPIP of the person's SPIP only; 404 for anyone else.
- Lists and search of a CPIP (psychologue, surveillant): the people they follow as referent. A
  colleague's person is read through the person file's door, with a motif (read-only), never
  through search.
- Writers: whoever may edit the person's measures (referent CPIP, DPIP/DFSPIP); only the author or
  the encadrement edits a note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from parcours.accounts.models import Role
from parcours.people.access import PersonAccess, get_person_for
from parcours.people.models import Person

from .models import Note

if TYPE_CHECKING:
    from parcours.accounts.models import User

ENCADREMENT_ROLES = {Role.DPIP, Role.DFSPIP}
NOTE_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.PSYCHOLOGUE, Role.SURVEILLANT)
WRITER_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)


def reads_notes(user: User) -> bool:
    return getattr(user, "role", None) in NOTE_ROLES and bool(getattr(user, "spip_id", None))


def _sensitivity(user: User) -> Q:
    if user.role in ENCADREMENT_ROLES:
        return Q()
    return Q(sensitive=False) | Q(author_id=user.pk)


def visible_notes(user: User, access: PersonAccess | None = None) -> QuerySet[Note]:
    """The notes `user` may read: of one person file already opened (`access`), or, without it,
    of the people in the user's own follow-up (search, lists across files)."""
    if not reads_notes(user):
        return Note.objects.none()
    people = Person.objects.visible_to(user)
    if access is not None:
        people = people.filter(pk=access.person.pk)
    elif user.role not in ENCADREMENT_ROLES:
        people = people.filter(referent_id=user.pk)
    return Note.objects.filter(person__in=people).filter(_sensitivity(user))


def may_see(user: User, note: Note) -> bool:
    """The sensitivity rule for one note (the person's scope is checked by the person's door)."""
    return not note.sensitive or note.author_id == user.pk or user.role in ENCADREMENT_ROLES


def can_edit(user: User, note: Note, access: PersonAccess) -> bool:
    return access.can_edit_measures and (
        note.author_id == user.pk or user.role in ENCADREMENT_ROLES
    )


def get_note_for(
    request: HttpRequest, public_id: UUID | str, *, journal: bool = True
) -> tuple[Note, PersonAccess]:
    """The only way a view obtains one note. Http404 outside scope (or a sensitive note of
    someone else), MotifRequired when the person's file needs a motif first."""
    user: User = request.user  # type: ignore[assignment]
    if not reads_notes(user):
        raise Http404("Note introuvable.")
    try:
        note = (
            Note.objects.filter(person__in=Person.objects.visible_to(user))
            .select_related("author", "measure__measure_type")
            .get(public_id=public_id)
        )
    except (Note.DoesNotExist, ValueError):
        raise Http404("Note introuvable.") from None
    if not may_see(user, note):
        raise Http404("Note introuvable.")
    access = get_person_for(request, note.person.public_id if False else note.person_id_public(), journal=journal)  # noqa: E501
    return note, access
