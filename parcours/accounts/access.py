"""Scoped door for user accounts (administration screens)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from parcours.core.doors import get_or_404
from parcours.rules.roles import MANAGER_ROLES, SPIP_STAFF_ROLES

from .models import GrantDecision, Organisation, OrganisationKind, Role, RoleGrant, User


def users_visible_to(user: User) -> QuerySet[User]:
    """An admin of a SPIP manages that SPIP's accounts; a national/DISP admin manages all."""
    if user.role != Role.ADMIN or user.organisation is None:
        return User.objects.none()
    qs = User.objects.select_related("organisation")
    if user.organisation.kind == OrganisationKind.SPIP:
        return qs.filter(organisation__spip_id=user.organisation.spip_id)
    return qs


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    if user.role != Role.ADMIN or user.organisation is None:
        return Organisation.objects.none()
    qs = Organisation.objects.filter(is_active=True)
    if user.organisation.kind == OrganisationKind.SPIP:
        return qs.filter(spip_id=user.organisation.spip_id)
    return qs


def get_user_for(user: User, public_id: UUID) -> User:
    return get_or_404(users_visible_to(user), "Compte introuvable.", public_id=public_id)


def pending_grants_for(user: User) -> QuerySet[RoleGrant]:
    """The pending role requests `user` may decide (services.may_decide): an administrator sees
    those of the accounts it manages, a DPIP/DFSPIP those of SPIP staff roles in its SPIP; never
    a request it made nor one about its own account."""
    qs = RoleGrant.objects.filter(decision=GrantDecision.EN_ATTENTE).select_related(
        "user", "organisation", "previous_organisation", "requested_by"
    )
    if user.role == Role.ADMIN:
        qs = qs.filter(user__in=users_visible_to(user))
    elif user.role in MANAGER_ROLES and user.spip_id is not None:
        qs = qs.filter(role__in=SPIP_STAFF_ROLES, organisation__spip_id=user.spip_id)
        if user.role != Role.DFSPIP:
            qs = qs.exclude(role=Role.DFSPIP)
    else:
        return RoleGrant.objects.none()
    return qs.exclude(requested_by=user).exclude(user=user)


def get_pending_grant_for(user: User, public_id: UUID) -> RoleGrant:
    return get_or_404(pending_grants_for(user), "Demande introuvable.", public_id=public_id)
