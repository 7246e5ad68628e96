"""Writes of the partners app: the directory (profile, agreements) and the referrals, from the
SPIP (create, send, cancel, close) and from the partner (accept, decline, sessions, end,
attestation). Each takes the acting user and plain data, runs in one transaction with its
journal row; versioned records refuse a stale write (ConflictError → 409), a forbidden
transition is a French `Refused` (400)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Subquery
from django.utils import timezone

from parcours.accounts.models import Organisation, User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import Refused
from parcours.core.locking import save_if_version, update_if_version
from parcours.ledgers.models import TigLedger, TigSession
from parcours.ledgers.services import add_pending_tig_session
from parcours.measures.models import Measure
from parcours.obligations import storage
from parcours.obligations.models import Obligation, Proof, ProofKind
from parcours.obligations.services import add_proof
from parcours.obligations.uploads import CheckedFile
from parcours.people.models import Person
from parcours.plans.models import Step
from parcours.plans.services import set_step_status
from parcours.rules import referrals as rules
from parcours.rules.vocabulary import PlanStatus, ReferralStatus

from .models import (
    PROFILE_FIELDS,
    Agreement,
    PartnerProfile,
    Referral,
    ReferralProof,
    ReferralSession,
)


def _journal(action: str, actor: User, obj: Any, person: Person | None, **details: Any) -> None:
    record(action, actor=actor, obj=obj, person=person, details=details)


# --- Directory ----------------------------------------------------------------------------------


@transaction.atomic
def update_profile(
    *, acting_user: User, profile: PartnerProfile, expected_version: int | None
) -> PartnerProfile:
    unknown = [c for c in profile.accepted_kinds if c not in rules.BY_CODE]
    if unknown:
        raise Refused(f"Type d'orientation inconnu : {', '.join(unknown)}.")
    profile.version = save_if_version(profile, PROFILE_FIELDS, expected_version)
    _journal(
        AuditAction.MODIFICATION,
        acting_user,
        profile,
        None,
        champs=PROFILE_FIELDS,
        partenaire=profile.organisation.name,
    )
    return profile


@transaction.atomic
def add_agreement(*, acting_user: User, profile: PartnerProfile, agreement: Agreement) -> Agreement:
    if agreement.ends_on and agreement.ends_on < agreement.starts_on:
        raise Refused("La fin de la convention précède son début.")
    agreement.profile = profile
    agreement.save()
    _journal(
        AuditAction.CREATION,
        acting_user,
        agreement,
        None,
        partenaire=profile.organisation.name,
        debut=agreement.starts_on.isoformat(),
    )
    return agreement


# --- Referrals, SPIP side -----------------------------------------------------------------------


def _check_partner(person: Person, partner: Organisation, kind: rules.ReferralKind) -> None:
    profile = PartnerProfile.objects.filter(organisation=partner, spip_id=person.spip_id).first()
    if profile is None:
        raise Refused("Ce partenaire n'est pas dans l'annuaire du service.")
    if kind.code not in profile.accepted_kinds:
        raise Refused(f"{partner.name} n'accepte pas les orientations « {kind.label} ».")


def check_plan_step(person: Person, step: Step) -> None:
    """A referral hangs on an open step of the person's plan in force."""
    plan = step.goal.plan
    if plan.person_id != person.pk:
        raise Refused("Cette étape n'est pas celle du plan de la personne.")
    if plan.status != PlanStatus.EN_VIGUEUR:
        raise Refused("On oriente depuis une étape du plan en vigueur.")
    if not step.is_open:
        raise Refused("Cette étape est faite ou abandonnée : rouvrez-la avant d'orienter.")


@transaction.atomic
def create_referral(
    *,
    acting_user: User,
    person: Person,
    partner: Organisation,
    kind: str,
    reason: str,
    obligation: Obligation | None = None,
    measure: Measure | None = None,
    consent_given_on: date | None = None,
    consent_means: str = "",
    plan_step: Step | None = None,
) -> Referral:
    """A draft referral of `person` to `partner` (sent later by `transition`), from a step of
    the person's plan in force when `plan_step` is given."""
    if plan_step is not None:
        check_plan_step(person, plan_step)
    try:
        kind_rules = rules.kind(kind)
    except ValueError as error:
        raise Refused(str(error)) from None
    _check_partner(person, partner, kind_rules)
    if obligation is not None:
        if obligation.measure.person_id != person.pk:
            raise Refused("Cette obligation n'est pas celle de la personne.")
        measure = measure or obligation.measure
    if measure is not None and measure.person_id != person.pk:
        raise Refused("Cette mesure n'est pas celle de la personne.")
    if kind_rules.tig_hours and measure is None:
        raise Refused("Une orientation TIG se rattache à la mesure de TIG : choisissez-la.")
    if bool(consent_given_on) != bool(consent_means):
        raise Refused("Indiquez à la fois la date et la forme de l'accord de la personne.")
    if not reason.strip():
        raise Refused("Écrivez le message destiné au partenaire.")
    referral = Referral.objects.create(
        person=person,
        partner=partner,
        kind=kind,
        obligation=obligation,
        measure=measure,
        reason=reason.strip(),
        consent_given_on=consent_given_on,
        consent_means=consent_means,
        plan_step=plan_step,
        created_by=acting_user,
    )
    _journal(
        AuditAction.CREATION,
        acting_user,
        referral,
        person,
        partenaire=partner.name,
        type=kind,
        accord=consent_given_on.isoformat() if consent_given_on else "",
        etape=str(plan_step.public_id) if plan_step is not None else "",
    )
    return referral


@transaction.atomic
def transition(
    *,
    acting_user: User,
    referral: Referral,
    action: str,
    actor: str,
    reason: str = "",
    expected_version: int | None,
    consent_given_on: date | None = None,
    consent_means: str = "",
) -> Referral:
    """Applies `action` (rules.referrals.TRANSITIONS) for `actor` (SPIP or partner). Sending a
    draft may record the person's consent at the same time (`consent_given_on`, `consent_means`)."""
    try:
        new = rules.next_status(referral.status, action, actor)
    except ValueError as error:
        raise Refused(str(error)) from None
    reason = reason.strip()
    problem = rules.reason_problem(action, reason)
    if problem:
        raise Refused(problem)
    values: dict[str, Any] = {"status": new}
    if action == rules.Action.ENVOYER:
        if consent_given_on is not None and consent_means:
            values.update(consent_given_on=consent_given_on, consent_means=consent_means)
        given = values.get("consent_given_on", referral.consent_given_on)
        problem = rules.consent_problem(referral.kind_rules, given)
        if problem:
            raise Refused(problem)
        values["sent_at"] = timezone.now()
    elif action == rules.Action.TERMINER:
        values["end_note"] = reason
    elif rules.needs_reason(action):
        values["status_reason"] = reason
    update_if_version(Referral.objects.filter(pk=referral.pk), expected_version, **values)
    referral.version = (expected_version or 0) + 1
    for name, value in values.items():
        setattr(referral, name, value)
    _journal(
        AuditAction.MODIFICATION,
        acting_user,
        referral,
        referral.person,
        transition=f"{action}: {new}",
        motif=reason[:500],
    )
    _step_follows(acting_user, referral)
    return referral


def _step_follows(acting_user: User, referral: Referral) -> None:
    """The step the referral delivers, on the person's plan in force (the step it was made from,
    or its copy in a later version: Step.lineage), moves with the referral
    (rules.step_status_after): started with the accompaniment, done when it ends."""
    if referral.plan_step_id is None:
        return
    lineage = Step.objects.filter(pk=referral.plan_step_id).values("lineage")
    step = (
        Step.objects.select_for_update(of=("self",))
        .select_related("goal__plan")
        .filter(
            lineage=Subquery(lineage),
            goal__plan__person_id=referral.person_id,
            goal__plan__status=PlanStatus.EN_VIGUEUR,
        )
        .first()
    )
    if step is None:
        return
    status = rules.step_status_after(referral.status, step.status)
    if status is not None:
        set_step_status(acting_user, step, status=status, expected_version=step.version)


# --- Referrals, partner side --------------------------------------------------------------------


def _require_running(referral: Referral) -> None:
    """Sessions and attestations need an accepted or running referral."""
    if referral.status not in rules.SESSION_STATUSES:
        raise Refused(
            "L'orientation doit être acceptée (et non terminée) pour enregistrer une séance ou "
            "une attestation."
        )


def _running(referral: Referral, acting_user: User) -> None:
    """An accepted or running referral; the first session or attestation starts it
    (acceptée → en cours)."""
    _require_running(referral)
    if referral.status == ReferralStatus.ACCEPTEE:
        transition(
            acting_user=acting_user,
            referral=referral,
            action=rules.Action.DEBUTER,
            actor=rules.Actor.PARTENAIRE,
            expected_version=referral.version,
        )


def _tig_ledger(referral: Referral) -> TigLedger:
    ledger = None
    if referral.measure_id is not None:
        ledger = TigLedger.objects.filter(measure_id=referral.measure_id).first()
    if ledger is None:
        raise Refused(
            "Le registre de TIG de cette mesure n'est pas encore ouvert par le SPIP : les heures "
            "ne peuvent pas être enregistrées."
        )
    return ledger


def _check_session(
    referral: Referral,
    *,
    day: date,
    attended: bool,
    hours: Decimal | None,
    ledger: TigLedger | None,
    replacing: ReferralSession | None = None,
) -> None:
    """A session's own checks, new or corrected (French `Refused`): its date (not in the
    future, not before the referral was sent, TIG hours not before the measure is enforceable),
    hours only for a TIG and a present person, and not the same session twice (the same day,
    attendance and hours: a form sent again after the browser's Back)."""
    if hours is not None and not referral.kind_rules.tig_hours:
        raise Refused("Des heures ne se déclarent que pour un travail d'intérêt général.")
    if hours is not None and not attended:
        raise Refused(
            "Des heures de TIG ne se déclarent que pour une séance où la personne était présente."
        )
    problem = rules.session_date_problem(
        day,
        today=timezone.localdate(),
        sent_on=timezone.localdate(referral.sent_at) if referral.sent_at else None,
        tig_enforceable_from=ledger.enforceable_from if ledger is not None else None,
    )
    if problem:
        raise Refused(problem)
    same = ReferralSession.objects.filter(
        referral_id=referral.pk, day=day, attended=attended, hours=hours
    )
    if replacing is not None:
        same = same.exclude(pk=replacing.pk)
    if same.exists():
        raise Refused(
            f"Cette séance est déjà enregistrée ({rules.session_label(day, attended, hours)}) : "
            "elle n'a pas été ajoutée une seconde fois. Pour la corriger, choisissez « Modifier » "
            "dans la liste des séances."
        )


def _lock_referral(referral: Referral) -> None:
    """Serialises the sessions of one referral (two quick submissions of the same form)."""
    Referral.objects.select_for_update().filter(pk=referral.pk).update(version=F("version"))


def _pending_hours(
    acting_user: User, ledger: TigLedger, referral: Referral, day: date, hours: Decimal
) -> TigSession:
    """The session's hours in the TIG ledger, "à valider" (ledgers' own checks: 24 h a day)."""
    return add_pending_tig_session(
        acting_user=acting_user,
        ledger=ledger,
        session=TigSession(day=day, hours=hours, host_structure=referral.partner.name[:200]),
    )


@transaction.atomic
def record_session(
    *,
    acting_user: User,
    referral: Referral,
    day: date,
    attended: bool,
    note: str = "",
    hours: Decimal | None = None,
) -> ReferralSession:
    """A session with the partner; for a TIG referral, the hours done land in the TIG ledger as
    hours "à valider" (the CPIP validates them in the person file's Registres). The first
    session starts an accepted referral (acceptée → en cours)."""
    _lock_referral(referral)
    _require_running(referral)
    ledger = _tig_ledger(referral) if hours is not None and referral.kind_rules.tig_hours else None
    _check_session(referral, day=day, attended=attended, hours=hours, ledger=ledger)
    _running(referral, acting_user)
    tig_session = None
    if ledger is not None and hours is not None:
        tig_session = _pending_hours(acting_user, ledger, referral, day, hours)
    session = ReferralSession.objects.create(
        referral=referral,
        day=day,
        attended=attended,
        note=note.strip(),
        hours=hours,
        tig_session=tig_session,
        recorded_by=acting_user,
    )
    _journal(
        AuditAction.CREATION,
        acting_user,
        session,
        referral.person,
        orientation=str(referral.public_id),
        present=attended,
        heures=str(hours) if hours is not None else "",
    )
    return session


def session_correctable(referral: Referral, session: ReferralSession) -> str | None:
    """Why the partner may no longer correct or delete `session` (French), or None
    (`tig_session` joined)."""
    tig = session.tig_session
    return rules.session_correction_problem(referral.status, tig is not None and not tig.pending)


def _release_pending_hours(session: ReferralSession) -> None:
    """Removes the session's TIG hours from the ledger while they wait for the CPIP, in one
    conditional statement: hours the CPIP validated meanwhile are refused, never removed."""
    if session.tig_session_id is None:
        return
    deleted, _ = TigSession.objects.filter(pk=session.tig_session_id, pending=True).delete()
    if not deleted:
        raise Refused(rules.HOURS_VALIDATED)
    session.tig_session = None


@transaction.atomic
def update_session(
    *,
    acting_user: User,
    referral: Referral,
    session: ReferralSession,
    day: date,
    attended: bool,
    note: str = "",
    hours: Decimal | None = None,
) -> ReferralSession:
    """The partner corrects a session it recorded, while its hours are not validated; its
    hours "à valider" in the TIG ledger are replaced by the corrected ones."""
    _lock_referral(referral)
    problem = session_correctable(referral, session)
    if problem:
        raise Refused(problem)
    ledger = _tig_ledger(referral) if hours is not None and referral.kind_rules.tig_hours else None
    _check_session(
        referral, day=day, attended=attended, hours=hours, ledger=ledger, replacing=session
    )
    before = rules.session_label(session.day, session.attended, session.hours)
    _release_pending_hours(session)
    if ledger is not None and hours is not None:
        session.tig_session = _pending_hours(acting_user, ledger, referral, day, hours)
    session.day, session.attended, session.note, session.hours = day, attended, note.strip(), hours
    session.save(update_fields=["day", "attended", "note", "hours", "tig_session"])
    _journal(
        AuditAction.MODIFICATION,
        acting_user,
        session,
        referral.person,
        orientation=str(referral.public_id),
        avant=before,
        apres=rules.session_label(day, attended, hours),
    )
    return session


@transaction.atomic
def delete_session(*, acting_user: User, referral: Referral, session: ReferralSession) -> None:
    """The partner deletes a session it recorded (entered by mistake), while its hours are not
    validated; its hours "à valider" leave the TIG ledger. Journaled on the referral."""
    _lock_referral(referral)
    problem = session_correctable(referral, session)
    if problem:
        raise Refused(problem)
    label = rules.session_label(session.day, session.attended, session.hours)
    _release_pending_hours(session)
    ReferralSession.objects.filter(pk=session.pk).delete()
    _journal(
        AuditAction.MODIFICATION,
        acting_user,
        referral,
        referral.person,
        seance_supprimee=label,
        seance=str(session.public_id),
    )


def upload_attestation(
    *, acting_user: User, referral: Referral, checked: CheckedFile, received_on: date
) -> Proof:
    """The partner's attestation becomes a justificatif of the referral's obligation, pending the
    CPIP's decision (obligations.services.add_proof: the file checked by content, stored
    privately); the link is kept here (ReferralProof)."""
    if referral.obligation_id is None:
        raise Refused("Cette orientation ne sert aucune obligation : pas d'attestation à déposer.")
    try:
        with transaction.atomic():
            _running(referral, acting_user)
            proof = add_proof(
                acting_user=acting_user,
                obligation=Obligation.objects.select_related("measure__person").get(
                    pk=referral.obligation_id
                ),
                proof=Proof(kind=ProofKind.FICHIER, received_on=received_on),
                checked=checked,
            )
            ReferralProof.objects.create(referral=referral, proof=proof)
            _journal(
                AuditAction.CREATION,
                acting_user,
                referral,
                referral.person,
                attestation=str(proof.public_id),
            )
    except BaseException:
        stored = locals().get("proof")
        if stored is not None and stored.stored_path:
            storage.remove(stored.stored_path)
        raise
    return proof
