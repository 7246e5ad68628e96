"""Verb-first actions on accounts. Each runs in one transaction and writes the journal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import Refused
from parcours.rules.roles import COURT_ROLES, MANAGER_ROLES, SPIP_STAFF_ROLES, Role

from . import notices, sessions
from .models import NO_ROLE, GrantDecision, Organisation, RoleGrant, User, UserSession

# Roles that open case data (people, notes, proofs, reports): granting one takes two people.
CASE_ROLES = SPIP_STAFF_ROLES | COURT_ROLES | {Role.PARTENAIRE}
# ADMIN is added: an administrator who could create a second administrator alone could then have
# that account approve its own requests (docs/adr/0013-two-person-role-grants.md).
TWO_PERSON_ROLES = frozenset(CASE_ROLES | {Role.ADMIN})

SELF_CHANGE_REFUSED = "Vous ne pouvez pas modifier votre propre rôle ni votre organisation."


def _journal(action: AuditAction, acting_user: User | None, user: User, **details: Any) -> None:
    """An event about the account `user`, in the journal of its SPIP."""
    record(action, actor=acting_user, obj=user, spip_id=user.spip_id, details=details)


@transaction.atomic
def deactivate_user(*, acting_user: User, user: User) -> None:
    """Deactivates an account and ends every open session of it at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions.close(user)
    _journal(AuditAction.DESACTIVATION, acting_user, user, sessions_terminees=ended)


@transaction.atomic
def reactivate_user(*, acting_user: User, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
    _journal(AuditAction.MODIFICATION, acting_user, user, champ="is_active", valeur=True)


def _role_details(role: str, organisation: Organisation | None) -> dict[str, Any]:
    return {"role": role or "", "organisation": str(organisation) if organisation else ""}


@transaction.atomic
def save_user(
    *, acting_user: User, user: User, created: bool, changed: list[str]
) -> RoleGrant | None:
    """Saves an account edited by an administrator.

    A role or organisation that opens case data (or the administrator role) does not take effect:
    the account keeps its previous role (a new account: no role) and a pending RoleGrant waits for
    a second person. Nobody changes their own role or organisation. A withdrawal (to no role)
    takes effect at once. A new account gets no password (the user sets it from a reset link)."""
    requested_role, requested_org = user.role, user.organisation
    previous: User | None = None
    if not created:
        previous = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if (
        previous is not None
        and previous.pk == acting_user.pk
        and (previous.role, previous.organisation_id) != (user.role, user.organisation_id)
    ):
        raise Refused(SELF_CHANGE_REFUSED)
    old_role = previous.role if previous is not None else NO_ROLE
    old_org = previous.organisation if previous is not None else None
    role_changed = (old_role, getattr(old_org, "pk", None)) != (
        requested_role,
        getattr(requested_org, "pk", None),
    )
    needs_second_person = role_changed and requested_role in TWO_PERSON_ROLES
    if needs_second_person:
        if previous is None:
            user.role = NO_ROLE  # the organisation is kept: it scopes who sees the account
        else:
            user.role, user.organisation = previous.role, previous.organisation
    if created:
        user.set_unusable_password()
    user.save()
    _journal(
        AuditAction.CREATION if created else AuditAction.MODIFICATION,
        acting_user,
        user,
        champs=changed,
        **({"role": user.role, "organisation": str(user.organisation or "")} if created else {}),
    )
    if not role_changed:
        return None
    if needs_second_person:
        return _request_role(
            acting_user=acting_user,
            user=user,
            role=requested_role,
            organisation=requested_org,
        )
    _cancel_pending(user)
    if old_role in TWO_PERSON_ROLES and requested_role not in TWO_PERSON_ROLES:
        record(
            AuditAction.RETRAIT_ROLE,
            actor=acting_user,
            obj=user,
            spip_id=user.spip_id or getattr(old_org, "spip_id", None),
            details={
                "ancien": _role_details(old_role, old_org),
                "nouveau": _role_details(user.role, user.organisation),
            },
        )
    return None


def _cancel_pending(user: User) -> None:
    RoleGrant.objects.filter(user=user, decision=GrantDecision.EN_ATTENTE).update(
        decision=GrantDecision.ANNULEE, decided_at=timezone.now()
    )


def _request_role(
    *, acting_user: User, user: User, role: str, organisation: Organisation | None
) -> RoleGrant:
    if organisation is None:
        raise Refused("Indiquez l'organisation du rôle demandé.")
    _cancel_pending(user)  # the latest request replaces an older one
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        organisation=organisation,
        previous_role=user.role,
        previous_organisation=user.organisation,
        requested_by=acting_user,
    )
    record(
        AuditAction.DEMANDE_ROLE,
        actor=acting_user,
        obj=user,
        spip_id=organisation.spip_id,
        details={
            "demande": str(grant.public_id),
            "ancien": _role_details(user.role, user.organisation),
            "nouveau": _role_details(role, organisation),
        },
    )
    return grant


def may_decide(user: User, grant: RoleGrant) -> bool:
    """A second person: never the requester nor the account concerned; an active administrator,
    or a DPIP/DFSPIP of the SPIP concerned for a SPIP staff role (DFSPIP: a DFSPIP only)."""
    if not user.is_active or user.pk in (grant.requested_by_id, grant.user_id):
        return False
    if user.role == Role.ADMIN:
        return True
    return (
        user.role in MANAGER_ROLES
        and grant.role in SPIP_STAFF_ROLES
        and (grant.role != Role.DFSPIP or user.role == Role.DFSPIP)  # a DPIP never names its head
        and user.spip_id is not None
        and user.spip_id == grant.organisation.spip_id
    )


@transaction.atomic
def decide_role_grant(*, acting_user: User, grant: RoleGrant, approve: bool, reason: str) -> None:
    """Approves (the role takes effect) or rejects (a reason is required) a pending request."""
    grant = (
        RoleGrant.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=grant.pk)
    )
    if not grant.is_pending:
        raise Refused("Cette demande a déjà été traitée.")
    if not may_decide(acting_user, grant):
        raise Refused(
            "Une demande ne peut pas être validée par la personne qui l'a faite ni par le compte "
            "concerné."
        )
    reason = reason.strip()
    if not approve and not reason:
        raise Refused("Indiquez le motif du rejet.")
    user = User.objects.select_for_update(of=("self",)).get(pk=grant.user_id)
    if approve and not user.is_active:
        raise Refused("Ce compte est désactivé : réactivez-le avant de valider un rôle.")
    before = _role_details(user.role, user.organisation)
    grant.decision = GrantDecision.VALIDEE if approve else GrantDecision.REJETEE
    grant.decided_by = acting_user
    grant.decided_at = timezone.now()
    grant.reason = reason
    grant.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
    if approve:
        user.role, user.organisation = grant.role, grant.organisation
        user.save(update_fields=["role", "organisation"])
    record(
        AuditAction.VALIDATION_ROLE if approve else AuditAction.REJET_ROLE,
        actor=acting_user,
        obj=user,
        spip_id=grant.organisation.spip_id,
        motif_detail=reason[:500],
        details={
            "demande": str(grant.public_id),
            "demande_par": grant.requested_by.get_username(),
            "ancien": before,
            "nouveau": _role_details(grant.role, grant.organisation),
        },
    )


def reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.PARCOURS_PUBLIC_URL.rstrip('/')}{path}"


def send_reset_link(*, acting_user: User | None, user: User, new_account: bool = False) -> None:
    """E-mails the user a link to set their own password (nobody else ever sets it) and
    journals the request. Sent outside any transaction; journaled once sent."""
    if not user.email:
        raise Refused("Ce compte n'a pas d'adresse électronique : ajoutez-la d'abord.")
    if not user.is_active:
        raise Refused("Ce compte est désactivé : réactivez-le d'abord.")
    context = {
        "user": user,
        "link": reset_link(user),
        "new_account": new_account,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = (
        "Parcours : définir votre mot de passe"
        if new_account
        else ("Parcours : réinitialiser votre mot de passe")
    )
    body = render_to_string("accounts/password_reset_email.txt", context)
    send_mail(subject, body, None, [user.email], fail_silently=False)
    _journal(
        AuditAction.REINITIALISATION,
        acting_user,
        user,
        etape="lien_envoye",
        nouveau_compte=new_account,
    )


def _new_password(user: User, step: str, ended: int) -> None:
    """A password the user chose: journaled with the sessions it ended; the user is told."""
    _journal(AuditAction.REINITIALISATION, user, user, etape=step, sessions_terminees=ended)
    notices.notify(user, step)


def password_set(*, user: User) -> None:
    """The user chose a new password from a reset link: journaled; other sessions end."""
    _new_password(user, "mot_de_passe_defini", sessions.close(user))


# Wrong current passwords a session may give on "Changer mon mot de passe" before it is ended
# (the sign-in's lockout does not see that form).
PASSWORD_CHANGE_TRIES = 5


def password_changed(*, user: User, old_key: str | None, new_key: str | None) -> None:
    """The signed-in user changed their password: this session (given a new key by Django)
    stays recorded, the others end (Django's session hash would refuse them anyway),
    journaled, and the user is told by e-mail."""
    if old_key and new_key:
        UserSession.objects.filter(user=user, session_key=old_key).update(session_key=new_key)
    ended = sessions.end_sessions(user=user, keep_key=new_key, reason="changement du mot de passe")
    _new_password(user, "mot_de_passe_change", ended)


def wrong_current_password(*, user: User, tries: int) -> None:
    _journal(
        AuditAction.REINITIALISATION,
        user,
        user,
        etape="mot_de_passe_actuel_errone",
        essais=tries,
        session_fermee=tries >= PASSWORD_CHANGE_TRIES,
    )


@transaction.atomic
def accept_charter(*, user: User) -> None:
    user.charter_accepted_at = timezone.now()
    user.save(update_fields=["charter_accepted_at"])
    record(AuditAction.CHARTE, actor=user, obj=user)
