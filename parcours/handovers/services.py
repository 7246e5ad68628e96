"""Dessaisissement (rules.handovers, ADR 0032): ask, withdraw, refuse, accept.

Accepting moves the file: the person, and every row of their file that carries a SPIP (notes,
alerts, appointments, messages…, found from the models that point at Person, so a new one
follows without a change here) now belongs to the receiving SPIP; the current measures name the
receiving tribunal; the planned appointments with the sending service and the referrals not yet
started with its partners are cancelled, with the reason. The journal keeps each side's events.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from parcours.accounts.models import Organisation, User
from parcours.agenda import services as agenda
from parcours.agenda.models import Appointment
from parcours.audit.services import record
from parcours.core.errors import Refused
from parcours.core.locking import update_if_version
from parcours.detention.models import Ecrou
from parcours.measures.models import Measure
from parcours.partners import services as partners
from parcours.partners.models import Referral
from parcours.people.models import Assignment, Person
from parcours.people.services import transfer_person
from parcours.rules import handovers as rules
from parcours.rules import referrals
from parcours.rules.measures import CURRENT_STATUSES
from parcours.rules.vocabulary import Action, AppointmentStatus, AuditAction, OrganisationKind

from .models import Handover

S = rules.HandoverStatus
A = rules.HandoverAction
# Referrals that have not started: cancelled with the handover (the partner never began).
CANCELLED_REFERRALS = (referrals.S.BROUILLON, referrals.S.ENVOYEE)


def _journal(actor: User, handover: Handover, person: Person, step: str, **details: Any) -> None:
    record(
        AuditAction.TRANSFERT,
        actor=actor,
        obj=handover,
        person=person,
        motif="dessaisissement",
        motif_detail=handover.reason[:500],
        details={
            "etape": step,
            "de": handover.from_spip.name,
            "vers": handover.to_spip.name,
            **details,
        },
    )


def is_detained(person: Person) -> bool:
    return Ecrou.objects.filter(person=person, released_on__isnull=True).exists()


@transaction.atomic
def request_handover(
    *,
    acting_user: User,
    person: Person,
    to_spip: Organisation,
    reason: str,
    new_address: str = "",
    jap_order_on: date | None = None,
) -> Handover:
    """Asks the SPIP `to_spip` to take the file (nothing moves before its decision)."""
    if to_spip.kind != OrganisationKind.SPIP or not to_spip.is_active:
        raise Refused("Choisissez un SPIP en activité.")
    problem = rules.request_problem(
        same_spip=to_spip.pk == person.spip_id,
        detained=is_detained(person),
        waiting=Handover.objects.filter(person=person, status=S.EN_ATTENTE).exists(),
    )
    if problem:
        raise Refused(problem)
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                person=person,
                from_spip_id=person.spip_id,
                to_spip=to_spip,
                reason=reason.strip(),
                new_address=new_address.strip(),
                jap_order_on=jap_order_on,
                requested_by=acting_user,
            )
    except IntegrityError:  # the same request, sent twice at once
        raise Refused(rules.ALREADY_WAITING) from None
    _journal(acting_user, handover, person, "demande")
    return handover


def _decide(
    acting_user: User, handover: Handover, action: str, note: str, expected_version: int | None
) -> None:
    try:
        new = rules.next_status(handover.status, action)
    except ValueError as error:
        raise Refused(str(error)) from None
    note = note.strip()
    if rules.needs_reason(action) and not note:
        raise Refused("Indiquez le motif : l'autre service le lira.")
    values = {
        "status": new,
        "decided_by": acting_user,
        "decided_at": timezone.now(),
        "decision_note": note,
        "updated_at": timezone.now(),
    }
    update_if_version(Handover.objects.filter(pk=handover.pk), expected_version, **values)
    for name, value in values.items():
        setattr(handover, name, value)
    handover.version = (expected_version or 0) + 1


# The journal's step of each way a handover ends without moving the file.
CLOSING_STEPS: dict[str, str] = {A.ANNULER: "retrait", A.REFUSER: "refus"}


@transaction.atomic
def close_handover(
    *,
    acting_user: User,
    handover: Handover,
    action: str,
    reason: str,
    expected_version: int | None,
) -> Handover:
    """Ends a waiting handover without moving the file: the sending side withdraws it
    (`annuler`), the receiving service refuses it (`refuser`); both say why."""
    step = CLOSING_STEPS.get(action)
    if step is None:
        raise Refused("Action inconnue.")
    _decide(acting_user, handover, action, reason, expected_version)
    _journal(acting_user, handover, handover.person, step, motif=reason.strip()[:500])
    return handover


def _check_receiving(handover: Handover, **chosen: Organisation | User | None) -> None:
    for label, value in chosen.items():
        if value is not None and getattr(value, "spip_id", None) != handover.to_spip_id:
            raise Refused(f"Choisissez {label} du SPIP destinataire.")


def file_rows() -> list[type[models.Model]]:
    """The models of a person's file that carry a SPIP of their own (a `person` link and a
    `spip` link): their rows move with the file."""
    found: list[type[models.Model]] = []
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if not isinstance(model, type):
            continue
        if relation.field.name == "person" and any(
            f.name == "spip" for f in model._meta.concrete_fields
        ):
            found.append(model)
    return found


def _cancel_appointments(acting_user: User, person: Person, reason: str) -> int:
    planned = Appointment.objects.filter(
        person=person, status=AppointmentStatus.PLANIFIE, starts_at__gte=timezone.now()
    )
    count = 0
    for appointment in planned.select_for_update():
        agenda.record_outcome(
            acting_user=acting_user,
            appointment=appointment,
            action=Action.ANNULER,
            reason=reason,
            expected_version=appointment.version,
            sms=True,
        )
        count += 1
    return count


def _cancel_referrals(acting_user: User, person: Person, reason: str) -> int:
    pending = Referral.objects.filter(person=person, status__in=CANCELLED_REFERRALS)
    count = 0
    for referral in pending.select_related("person"):
        partners.transition(
            acting_user=acting_user,
            referral=referral,
            action=referrals.Action.ANNULER,
            actor=referrals.Actor.SPIP,
            reason=reason,
            expected_version=referral.version,
        )
        count += 1
    return count


@transaction.atomic
def accept_handover(
    *,
    acting_user: User,
    handover: Handover,
    expected_version: int | None,
    antenna: Organisation | None = None,
    tribunal: Organisation | None = None,
    referent: User | None = None,
    note: str = "",
) -> Handover:
    """The receiving service takes the file (see the module docstring)."""
    _check_receiving(handover, **{"une antenne": antenna, "un tribunal": tribunal})
    if referent is not None:
        _check_receiving(handover, **{"un CPIP": referent})
    _decide(acting_user, handover, A.ACCEPTER, note, expected_version)
    person = handover.person
    if is_detained(person):
        raise Refused(rules.DETAINED)
    why = f"Dessaisissement au profit du {handover.to_spip.name}"
    cancelled = _cancel_appointments(acting_user, person, why)
    withdrawn = _cancel_referrals(acting_user, person, why)
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(
        spip=handover.to_spip,
        antenna=antenna,
        referent=None,
        version=F("version") + 1,
        updated_at=now,
    )
    Assignment.objects.filter(person=person, ended_at__isnull=True).update(ended_at=now)
    for model in file_rows():
        model._default_manager.filter(person=person).update(spip=handover.to_spip)
    measures = 0
    if tribunal is not None:
        measures = Measure.objects.filter(person=person, status__in=CURRENT_STATUSES).update(
            tribunal=tribunal, version=F("version") + 1, updated_at=now
        )
    person.refresh_from_db()
    _journal(
        acting_user,
        handover,
        person,
        "acceptation",
        rendez_vous_annules=cancelled,
        orientations_annulees=withdrawn,
        mesures_au_tribunal=measures,
        tribunal=tribunal.name if tribunal else "",
    )
    if referent is not None:
        transfer_person(
            acting_user=acting_user,
            person=person,
            new_referent=referent,
            reason=why,
            expected_version=person.version,
        )
    return handover
