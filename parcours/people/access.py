"""The one door to people's files.

Lists start from `Person.objects.visible_to(user)` (the scope, people/models.py); a search across
the service goes through `find_people` (a colleague's people are found by name, never browsed).
One file: `person_door`, the view decorator built on `open_person`, which answers 404 outside the
user's scope, asks a motif ("break the glass") when the user is not entitled by their role or
assignment, and journals the consultation with its motif.

Rules (docs/access-matrix.md, from shared security.md):
- SPIP staff see people of their own SPIP only; another SPIP's person is a 404, always.
- CPIP: their own caseload directly; a colleague's person only with a motif (remplacement,
  permanence, autre + text), journaled, valid PARCOURS_BREAK_GLASS_HOURS, read-only.
- DPIP / DFSPIP: the whole SPIP (encadrement). Secrétariat: the whole SPIP (agenda needs).
- Psychologue / surveillant: with a motif until assignments of specialists exist.
- JAP / greffe SAP: people with a measure from their own tribunal, read-only.
- Partenaire, admin: no person file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import COURT_ROLES, SPIP_STAFF_ROLES, Role
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core import errors
from parcours.core.doors import Door, get_or_404
from parcours.core.prepared import prepared
from parcours.rules.vocabulary import Motif

from .models import PeopleScope, Person, PersonQuerySet, scope_of

if TYPE_CHECKING:
    from parcours.accounts.models import User


BREAK_GLASS_MOTIFS = (Motif.REMPLACEMENT, Motif.PERMANENCE, Motif.AUTRE)
NEEDS_MOTIF = "needs_motif"
GRANTS_KEY = "parcours_grants"

SPIP_ROLES = SPIP_STAFF_ROLES
SERVICE_WIDE_ROLES = {Role.DPIP, Role.DFSPIP, Role.SECRETARIAT}
# Whoever may list people or open a person file (the door then scopes each one).
CASELOAD_ROLES = (*SPIP_ROLES, *COURT_ROLES)
# Roles that find a colleague's people by a name search only, never by browsing the service.
SEARCH_ONLY_ROLES = (Role.CPIP, Role.PSYCHOLOGUE, Role.SURVEILLANT)
MIN_SEARCH_LENGTH = 3
SEARCH_NOTICE = "Pour chercher dans tout le service, saisissez au moins 3 caractères du nom."


class MotifRequired(errors.MotifRequired):
    """The user may open this person's file only after giving a motif."""

    def __init__(self, person: Person) -> None:
        super().__init__(reverse("people:motif", args=[person.public_id]), subject=person)
        self.person = person


@dataclass(frozen=True)
class PersonAccess:
    person: Person
    motif: str
    motif_detail: str
    can_edit_identity: bool
    can_edit_measures: bool
    can_transfer: bool

    @property
    def is_break_glass(self) -> bool:
        return self.motif in BREAK_GLASS_MOTIFS


def entitlement(user: User, person: Person) -> str | None:
    """The motif the user holds by role, NEEDS_MOTIF, or None (no access at all)."""
    if user.role in SPIP_ROLES:
        if user.spip_id is None or person.spip_id != user.spip_id:
            return None
        if user.role == Role.CPIP and person.referent_id == user.pk:
            return Motif.REFERENT
        if user.role in (Role.DPIP, Role.DFSPIP):
            return Motif.ENCADREMENT
        if user.role == Role.SECRETARIAT:
            return Motif.SECRETARIAT
        return NEEDS_MOTIF
    if user.role in COURT_ROLES:
        return Motif.JURIDICTION
    return None


def held_grant(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    grants = request.session.get(GRANTS_KEY, {})
    grant = grants.get(str(person.public_id))
    if grant and grant.get("until", 0) > time.time():
        return dict(grant)
    return None


def _one_person(scope: PeopleScope, public_id: UUID) -> QuerySet[Person]:
    return (
        Person.objects.in_scope(scope)
        .filter(public_id=public_id)
        .select_related("spip", "antenna", "referent")
    )


# The door's read, prepared (core.prepared): every file page opens with it.
@prepared
def _person_of_spip(*, spip_id: int, public_id: UUID) -> QuerySet[Person]:
    return _one_person(PeopleScope(spip_id=spip_id), public_id)


@prepared
def _person_of_tribunal(*, tribunal_id: int, public_id: UUID) -> QuerySet[Person]:
    return _one_person(PeopleScope(tribunal_id=tribunal_id), public_id)


def visible_person(user: User, public_id: UUID | str) -> Person:
    """One person of the user's scope (404 otherwise, a malformed identifier too), without
    entitlement or journal: for the motif page and for doors that must name the person before
    asking the motif."""
    scope = scope_of(user)
    try:
        key = public_id if isinstance(public_id, UUID) else UUID(str(public_id))
    except ValueError:
        raise Http404("Personne introuvable.") from None
    found: list[Person] = []
    if scope.spip_id is not None:
        found = _person_of_spip(spip_id=scope.spip_id, public_id=key)
    elif scope.tribunal_id is not None:
        found = _person_of_tribunal(tribunal_id=scope.tribunal_id, public_id=key)
    if not found:
        raise Http404("Personne introuvable.")
    return found[0]


def _journal_access(
    action: AuditAction, user: User, person: Person, motif: str, detail: str
) -> None:
    """The journal row of an opening of the file (a consultation, a break-the-glass), with the
    motif that allows it."""
    record(action, actor=user, obj=person, person=person, motif=motif, motif_detail=detail)


def open_person(
    request: HttpRequest, public_id: UUID | str, *, journal: bool = True
) -> PersonAccess:
    """The opener of `person_door`. Raises Http404 or MotifRequired; with `journal` the
    consultation is written to the audit journal with its motif."""
    user: User = request.user  # type: ignore[assignment]
    person = visible_person(user, public_id)
    held = entitlement(user, person)
    if held is None:
        raise Http404("Personne introuvable.")
    detail = ""
    if held == NEEDS_MOTIF:
        grant = held_grant(request, person)
        if grant is None:
            raise MotifRequired(person)
        held, detail = grant["motif"], grant["detail"]
    if journal:
        _journal_access(AuditAction.CONSULTATION, user, person, held, detail)
    writer = held in (Motif.REFERENT, Motif.ENCADREMENT)
    return PersonAccess(
        person=person,
        motif=held,
        motif_detail=detail,
        can_edit_identity=writer or held == Motif.SECRETARIAT,
        can_edit_measures=writer,
        can_transfer=writer,
    )


def journal_refusal(
    sender: Any, *, request: HttpRequest, door: str, identifier: Any, status: int, **kwargs: Any
) -> None:
    """The REFUS row of a door's 403/404 (core.doors.door_refused): who, the door's object type,
    the identifier as asked (cut to the column) and the status. The SPIP is the user's own,
    never the object's, and nothing is read from the object: a 404 must not tell whether it
    exists."""
    record(
        AuditAction.REFUS,
        actor=request.user,
        object_type=door,
        object_id=str(identifier if identifier is not None else "")[:64],
        details={"statut": status, "methode": str(request.method)[:10]},
    )


# The views' decorator: `@person_door(roles=…, methods=…, allow=…)` → view(request, access).
person_door: Door[PersonAccess] = Door("personne", open_person, kwarg="public_id")
# The same door for URLs that name the person `person_id` (booking, notes, reports…).
person_door_by_person_id = person_door.keyed_by("person_id")

# Legacy name, for the doors of other objects that open the person's file after their own.
get_person_for = open_person

RecordT = TypeVar("RecordT", bound=models.Model)


def open_on_file(
    request: AuthedRequest,
    rows: models.QuerySet[RecordT],
    public_id: UUID | str,
    *,
    person_path: str,
    missing: str,
    journal: bool,
) -> tuple[RecordT, PersonAccess]:
    """One record of a person's file, by its public id, through the person's door: Http404
    (`missing`) outside the user's scope, then the door of the person reached along
    `person_path` ("person", "measure__person"…; select it in `rows`), which asks a motif when
    needed and journals. The record then holds the person the door opened."""
    visible = Person.objects.visible_to(request.user)
    record = get_or_404(rows, missing, public_id=public_id, **{f"{person_path}__in": visible})
    *path, name = person_path.split("__")
    holder = reduce(getattr, path, record)
    access = open_person(request, getattr(holder, name).public_id, journal=journal)
    setattr(holder, name, access.person)
    return record, access


def file_record_opener(
    rows: models.QuerySet[RecordT], person_path: str, missing: str
) -> Callable[..., tuple[RecordT, PersonAccess]]:
    """The opener `(request, public_id, *, journal=True)` of a door to the records of `rows`
    (see `open_on_file`): the doors of the records of a person's file (measures, detention,
    obligations, justificatifs, manquements, registres…) are built on it."""

    def opener(
        request: AuthedRequest, public_id: UUID | str, *, journal: bool = True
    ) -> tuple[RecordT, PersonAccess]:
        return open_on_file(
            request, rows, public_id, person_path=person_path, missing=missing, journal=journal
        )

    return opener


def may_edit_identity(request: Any, access: PersonAccess) -> bool:
    return access.can_edit_identity


def may_edit_measures(request: Any, access: PersonAccess) -> bool:
    return access.can_edit_measures


TRANSFER_DENIED = "Seuls le référent et l'encadrement peuvent transférer."


def may_transfer(request: Any, access: PersonAccess) -> bool:
    return access.can_transfer


def grant_motif(request: HttpRequest, person: Person, motif: str, detail: str) -> None:
    """Records a break-the-glass motif for one file, journaled, valid a few hours."""
    user: User = request.user  # type: ignore[assignment]
    if entitlement(user, person) != NEEDS_MOTIF:
        raise Http404("Personne introuvable.")
    grants = dict(request.session.get(GRANTS_KEY, {}))
    grants[str(person.public_id)] = {
        "motif": motif,
        "detail": detail,
        "until": time.time() + settings.PARCOURS_BREAK_GLASS_HOURS * 3600,
    }
    request.session[GRANTS_KEY] = grants
    _journal_access(AuditAction.ACCES_EXCEPTIONNEL, user, person, motif, detail)


@dataclass(frozen=True)
class Found:
    people: PersonQuerySet
    notice: str = ""


def find_people(user: User, query: str, *, own_only: bool = False, screen: str = "") -> Found:
    """The list door: people the user may list, matching `query` (name or APPI number).

    `own_only` keeps a CPIP's own caseload. Across the service, a CPIP, psychologist or
    surveillant finds a colleague's people only by a search of 3 characters or more (never by
    browsing); every search across the service is journaled."""
    people = Person.objects.visible_to(user)
    query = query.strip()
    if own_only:
        people = people.filter(referent=user)
    elif user.role in SEARCH_ONLY_ROLES and len(query) < MIN_SEARCH_LENGTH:
        return Found(people.none(), SEARCH_NOTICE)
    if not query:
        return Found(people)
    people = people.matching(query)
    if not own_only:
        details: dict[str, Any] = {"q": query[:100]}
        if screen:
            details["écran"] = screen
        record(AuditAction.RECHERCHE, actor=user, details=details)
    return Found(people)


def can_create_person(user: User) -> bool:
    return user.role in (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT) and bool(user.spip_id)
