"""The one door to people's files.

Lists: `Person.objects.visible_to(user)`. Single files: `get_person_for(...)`, which answers 404
outside the user's scope, asks a motif ("break the glass") when the user is not entitled by their
role or assignment, and journals the consultation with its motif.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest

from parcours.accounts.models import Role
from parcours.audit.models import AuditAction
from parcours.audit.services import record

if TYPE_CHECKING:
    from parcours.accounts.models import User

    from .models import Person, PersonQuerySet


class Motif(models.TextChoices):
    REFERENT = "referent", "CPIP référent"
    ENCADREMENT = "encadrement", "Encadrement du service"
    SECRETARIAT = "secretariat", "Secrétariat / accueil"
    JURIDICTION = "juridiction", "Juridiction saisie"
    REMPLACEMENT = "remplacement", "Remplacement d'un collègue"
    PERMANENCE = "permanence", "Permanence"
    AUTRE = "autre", "Autre motif (à préciser)"


BREAK_GLASS_MOTIFS = (Motif.REMPLACEMENT, Motif.PERMANENCE, Motif.AUTRE)
NEEDS_MOTIF = "needs_motif"
GRANTS_KEY = "parcours_grants"

SERVICE_WIDE_ROLES = {Role.DPIP, Role.DFSPIP, Role.SECRETARIAT}
SPIP_ROLES = {
    Role.CPIP,
    Role.DPIP,
    Role.DFSPIP,
    Role.SECRETARIAT,
    Role.PSYCHOLOGUE,
    Role.SURVEILLANT,
}
COURT_ROLES = {Role.JAP, Role.GREFFE_SAP}


class MotifRequired(Exception):
    """The user may open this file only after giving a motif."""

    def __init__(self, person: Person) -> None:
        super().__init__("motif requis")
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


def scope_people(qs: PersonQuerySet, user: User) -> PersonQuerySet:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    if user.role in SPIP_ROLES:
        if user.spip_id is None:
            return qs.none()
        return qs.filter(spip_id=user.spip_id)
    if user.role in COURT_ROLES:
        from parcours.measures.models import Measure

        return qs.filter(
            Exists(
                Measure.objects.filter(person_id=OuterRef("pk"), tribunal_id=user.organisation_id)
            )
        )
    return qs.none()


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


def _grant(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    grants = request.session.get(GRANTS_KEY, {})
    grant = grants.get(str(person.public_id))
    if grant and grant.get("until", 0) > time.time():
        return dict(grant)
    return None


def grant_motif(
    request: HttpRequest, user: User, public_id: UUID, motif: str, detail: str
) -> Person:
    """Records a break-the-glass motif for one file, journaled, valid a few hours."""
    person = _visible_person(user, public_id)
    if entitlement(user, person) != NEEDS_MOTIF:
        raise Http404
    grants = dict(request.session.get(GRANTS_KEY, {}))
    grants[str(person.public_id)] = {
        "motif": motif,
        "detail": detail,
        "until": time.time() + settings.PARCOURS_BREAK_GLASS_HOURS * 3600,
    }
    request.session[GRANTS_KEY] = grants
    record(
        AuditAction.ACCES_EXCEPTIONNEL,
        actor=user,
        obj=person,
        person_public_id=person.public_id,
        spip_id=person.spip_id,
        motif=motif,
        motif_detail=detail,
    )
    return person


def _visible_person(user: User, public_id: UUID | str) -> Person:
    from .models import Person

    try:
        return (
            Person.objects.visible_to(user)
            .select_related("spip", "antenna", "referent")
            .get(public_id=public_id)
        )
    except (Person.DoesNotExist, ValueError):
        raise Http404("Personne introuvable.") from None


def get_person_for(
    request: HttpRequest,
    public_id: UUID | str,
    *,
    journal: bool = True,
) -> PersonAccess:
    """The only way a view obtains a person. Raises Http404 or MotifRequired.

    With `journal=True` the consultation is written to the audit journal with its motif.
    """
    user: User = request.user  # type: ignore[assignment]
    person = _visible_person(user, public_id)
    held = entitlement(user, person)
    if held is None:
        raise Http404("Personne introuvable.")
    detail = ""
    if held == NEEDS_MOTIF:
        grant = _grant(request, person)
        if grant is None:
            raise MotifRequired(person)
        held, detail = grant["motif"], grant["detail"]
    if journal:
        record(
            AuditAction.CONSULTATION,
            actor=user,
            obj=person,
            person_public_id=person.public_id,
            spip_id=person.spip_id,
            motif=held,
            motif_detail=detail,
        )
    writer = held in (Motif.REFERENT, Motif.ENCADREMENT)
    return PersonAccess(
        person=person,
        motif=held,
        motif_detail=detail,
        can_edit_identity=writer or held == Motif.SECRETARIAT,
        can_edit_measures=writer,
        can_transfer=writer,
    )


def can_create_person(user: User) -> bool:
    return user.role in (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT) and bool(user.spip_id)
