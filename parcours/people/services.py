"""Verb-first writes on people. Each takes `acting_user`, runs in one transaction and journals."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.locking import save_if_version, update_if_version
from parcours.rules.identity import fold

from .models import Address, Assignment, Person, search_key
from .names import clean_name

NOT_EDITED = {
    "id",
    "public_id",
    "version",
    "spip",
    "referent",
    "created_at",
    "created_by",
    "compliance_status",
}


APPI_TAKEN = (
    "Ce numéro APPI est déjà enregistré. Vérifiez le numéro ; s'il est exact, recherchez la "
    "personne dans la liste ou signalez-le à votre DPIP."
)


def appi_clash(user: User, appi_number: str, *, exclude_pk: int | None = None) -> bool:
    """Whether the APPI number is already taken (uniqueness is national: one number, one
    person). The answer does not say where: the form shows the same message either way. A clash
    with a file the user may not see (another SPIP) is journaled as a REFUS under the user's
    SPIP, without the other file's identity, for the encadrement to sort out."""
    taken = Person.objects.filter(appi_number=appi_number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if not taken.exists():
        return False
    if not Person.objects.visible_to(user).filter(pk__in=taken.values("pk")).exists():
        record(
            AuditAction.REFUS,
            actor=user,
            object_type="numero_appi",
            details={"raison": "numéro APPI déjà enregistré hors du périmètre de l'agent"},
        )
    return True


def find_duplicates(user: User, cleaned: dict[str, Any]) -> list[Person]:
    """Same folded names + birth date, or same APPI number, among the people the user may see.
    The names are cleaned first (people.names: no invisible format character)."""
    last, first = (
        clean_name(cleaned.get("last_name", "")),
        clean_name(cleaned.get("first_names", "")),
    )
    key = fold(f"{last} {first}")
    condition = Q(birth_date=cleaned.get("birth_date"), search_name__startswith=key)
    if cleaned.get("birth_name"):
        birth_key = fold(f"{clean_name(cleaned['birth_name'])} {first}")
        condition |= Q(birth_date=cleaned.get("birth_date"), search_name__startswith=birth_key)
    if cleaned.get("appi_number"):
        condition |= Q(appi_number=cleaned["appi_number"])
    return list(Person.objects.visible_to(user).filter(condition).select_related("referent")[:10])


@transaction.atomic
def create_person(*, acting_user: User, person: Person) -> Person:
    person.spip_id = acting_user.spip_id  # type: ignore[assignment]
    person.created_by = acting_user
    if person.antenna_id is None and person.referent is not None:
        org = person.referent.organisation
        if org is not None and org.kind == "antenne":
            person.antenna = org
    person.save()
    if person.referent_id:
        Assignment.objects.create(
            person=person,
            cpip_id=person.referent_id,
            started_at=timezone.now(),
            reason="Prise en charge initiale",
            assigned_by=acting_user,
        )
    record(
        AuditAction.CREATION,
        actor=acting_user,
        obj=person,
        person=person,
    )
    return person


@transaction.atomic
def update_person(
    *,
    acting_user: User,
    person: Person,
    changed: list[str],
    expected_version: int | None,
) -> Person:
    """Saves the edited person unless someone else saved it since the form was opened."""
    # Only what the edit form owns: the referent changes by transfer, the SPIP never, and the
    # compliance status is written by its own recomputation (a stale copy must not come back).
    fields = [f.name for f in Person._meta.concrete_fields if f.name not in NOT_EDITED]
    person.search_name = search_key(person.last_name, person.first_names, person.birth_name)
    person.updated_at = timezone.now()
    person.version = save_if_version(person, fields, expected_version)
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=person,
        person=person,
        details={"champs": changed},
    )
    return person


@transaction.atomic
def transfer_person(
    *,
    acting_user: User,
    person: Person,
    new_referent: User,
    reason: str,
    expected_version: int | None,
) -> Person:
    """Hands the file to another CPIP of the same SPIP and keeps the assignment history, unless
    the file changed since the page was read (ConflictError: nothing is written)."""
    if new_referent.spip_id != person.spip_id or new_referent.role != "cpip":
        raise ValueError("Le nouveau référent doit être un CPIP du même SPIP.")
    now = timezone.now()
    previous = person.referent
    values: dict[str, Any] = {"referent": new_referent, "updated_at": now}
    org = new_referent.organisation
    if org is not None and org.kind == "antenne":
        values["antenna"] = org
    # First, so that a stale page writes nothing (the assignments below included).
    update_if_version(Person.objects.filter(pk=person.pk), expected_version, **values)
    for name, value in values.items():
        setattr(person, name, value)
    person.version = (expected_version or 0) + 1
    Assignment.objects.filter(person=person, ended_at__isnull=True).update(ended_at=now)
    Assignment.objects.create(
        person=person, cpip=new_referent, started_at=now, reason=reason, assigned_by=acting_user
    )
    record(
        AuditAction.TRANSFERT,
        actor=acting_user,
        obj=person,
        person=person,
        motif="transfert",
        motif_detail=reason,
        details={
            "ancien_referent": previous.username if previous else "",
            "nouveau_referent": new_referent.username,
        },
    )
    return person


@transaction.atomic
def add_address(*, acting_user: User, person: Person, address: Address) -> Address:
    """A new current address closes the previous one on the day the person moved."""
    Address.objects.filter(person=person, until__isnull=True).update(until=address.since)
    address.person = person
    address.save()
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=person,
        person=person,
        details={"champs": ["adresse"]},
    )
    return address


def journal_details(action: str, actor: User | None, obj: Any, person: Any, **details: Any) -> None:
    """The journal row of a write on `person`'s file, the keywords as its details (no keyword:
    no details), in the caller's transaction."""
    record(action, actor=actor, obj=obj, person=person, details=details or None)
