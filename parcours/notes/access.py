"""The one door to case notes.

Lists and search: `visible_notes(user)` (or `visible_notes(user, access)` for one person file
already opened through the person's door). The views' doors: `notes_door` opens a person's file
for their notes (`person_id` in the URL), `note_door` one note; a file that needs a
break-the-glass motif is a 403 here, never the motif page (the motif does not open the notes).

Rules (shared security.md, "Case notes"; docs/access-matrix.md):
- Only the SPIP's social work roles read notes (NOTE_ROLES): the JAP and greffe never see working
  notes, nor do the secrétariat, partners or administrators (403 before any lookup).
- Another SPIP's note: 404, always (through `Person.objects.visible_to`).
- A sensitive note: its author and the DPIP/DFSPIP of the person's SPIP only; 404 for anyone else.
- Lists and search of a CPIP: the people they follow as referent. A colleague's notes are never
  shown, not even after a break-the-glass motif (security.md: "CPIP (same antenna, not referent):
  case notes — no"); the motif opens the file, not the working notes (`check_note_reader`).
- Writers: whoever may edit the person's measures (referent CPIP, DPIP/DFSPIP); only the author or
  the encadrement edits a note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from parcours.accounts.models import Role
from parcours.audit.services import record_consultation
from parcours.core.doors import Door, get_or_404
from parcours.core.errors import MotifRequired
from parcours.people.access import Motif, PersonAccess, open_person
from parcours.people.models import Person

from .models import Note

if TYPE_CHECKING:
    from parcours.accounts.http import AuthedRequest
    from parcours.accounts.models import User

ENCADREMENT_ROLES = {Role.DPIP, Role.DFSPIP}
NOTE_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.PSYCHOLOGUE, Role.SURVEILLANT)
WRITER_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)


# The motifs under which a file's working notes are shown: the referent and the encadrement.
NOTE_MOTIFS = {Motif.REFERENT, Motif.ENCADREMENT}
NOT_YOUR_NOTES = (
    "Les notes de suivi sont réservées au référent de la personne et à l'encadrement du service."
)


def check_note_reader(access: PersonAccess) -> None:
    """PermissionDenied unless the file was opened as referent or encadrement."""
    if access.motif not in NOTE_MOTIFS:
        raise PermissionDenied(NOT_YOUR_NOTES)


def reads_notes(user: User) -> bool:
    return getattr(user, "role", None) in NOTE_ROLES and bool(getattr(user, "spip_id", None))


def _sensitivity(user: User) -> Q:
    if user.role in ENCADREMENT_ROLES:
        return Q()
    return Q(sensitive=False) | Q(author_id=user.pk)


def searchable_people(user: User) -> QuerySet[Person]:
    """The people whose notes `user` finds without opening their file: the encadrement's SPIP,
    everyone else's own caseload (a colleague's file is opened with a motif, never searched)."""
    if not reads_notes(user):
        return Person.objects.none()
    people = Person.objects.visible_to(user)
    if user.role in ENCADREMENT_ROLES:
        return people
    return people.filter(referent_id=user.pk)


def visible_notes(user: User, access: PersonAccess | None = None) -> QuerySet[Note]:
    """The notes `user` may read: of one person file already opened (`access`), or, without it,
    of the people in the user's own follow-up (search, lists across files)."""
    if not reads_notes(user) or (access is not None and access.motif not in NOTE_MOTIFS):
        return Note.objects.none()
    people: QuerySet[Person] = (
        Person.objects.visible_to(user).filter(pk=access.person.pk)
        if access is not None
        else searchable_people(user)
    )
    # The SPIP filter repeats the person's scope on the note itself (an index the planner can
    # combine with the full-text index); the person's scope stays the rule.
    return Note.objects.filter(spip_id=user.spip_id, person__in=people).filter(_sensitivity(user))


def can_edit(user: User, note: Note, access: PersonAccess) -> bool:
    return access.can_edit_measures and (
        note.author_id == user.pk or user.role in ENCADREMENT_ROLES
    )


def open_notes_file(
    request: AuthedRequest, person_id: UUID | str, *, journal: bool = True
) -> PersonAccess:
    """The opener of `notes_door`: the person's door, a motif being a 403 (NOT_YOUR_NOTES)."""
    try:
        return open_person(request, person_id, journal=journal)
    except MotifRequired:
        raise PermissionDenied(NOT_YOUR_NOTES) from None


def open_note(
    request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
) -> tuple[Note, PersonAccess]:
    """The opener of `note_door`. Http404 outside scope (or a sensitive note of someone else),
    403 unless the file is opened as referent or encadrement."""
    user = request.user
    if not reads_notes(user):
        raise Http404("Note introuvable.")
    # The SPIP's notes, with the sensitivity rule of the lists; the person's door below then
    # decides between the file, a motif (refused here), or nothing.
    notes = (
        Note.objects.filter(spip_id=user.spip_id, person__in=Person.objects.visible_to(user))
        .filter(_sensitivity(user))
        .select_related("person", "author", "measure__measure_type")
    )
    note = get_or_404(notes, "Note introuvable.", public_id=public_id)
    access = open_notes_file(request, note.person.public_id, journal=False)
    check_note_reader(access)
    if journal:
        record_consultation(
            user, note, access.person, motif=access.motif, motif_detail=access.motif_detail
        )
    return note, access


def may_read_notes(request: AuthedRequest, access: PersonAccess) -> bool:
    return access.motif in NOTE_MOTIFS


WRITE_DENIED = "Vous pouvez consulter ce dossier mais pas y écrire de note."
EDIT_DENIED = "Seul l'auteur de la note ou l'encadrement peut la modifier."


def may_write_notes(request: AuthedRequest, access: PersonAccess) -> bool:
    return access.can_edit_measures


def may_edit_note(request: AuthedRequest, note: Note, access: PersonAccess) -> bool:
    return can_edit(request.user, note, access)


# `@notes_door(…)` → view(request, access); `@note_door(…)` → view(request, note, access).
notes_door: Door[PersonAccess] = Door("notes", open_notes_file, kwarg="person_id")
note_door: Door[tuple[Note, PersonAccess]] = Door("note", open_note)
