"""Scoped door for user accounts (administration screens)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from .models import Organisation, OrganisationKind, Role, User


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
    try:
        return users_visible_to(user).get(public_id=public_id)
    except User.DoesNotExist:
        raise Http404("Compte introuvable.") from None
