"""Verb-first actions on accounts. Each runs in one transaction and writes the journal."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from parcours.audit.models import AuditAction
from parcours.audit.services import record

from .models import User, UserSession


def end_all_sessions(user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def deactivate_user(*, acting_user: User, user: User) -> None:
    """Deactivates an account and ends every open session of it at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_all_sessions(user)
    record(
        AuditAction.DESACTIVATION,
        actor=acting_user,
        obj=user,
        spip_id=user.spip_id,
        details={"sessions_terminees": ended},
    )


@transaction.atomic
def reactivate_user(*, acting_user: User, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=user,
        spip_id=user.spip_id,
        details={"champ": "is_active", "valeur": True},
    )


@transaction.atomic
def save_user(*, acting_user: User, user: User, created: bool, changed: list[str]) -> User:
    user.save()
    record(
        AuditAction.CREATION if created else AuditAction.MODIFICATION,
        actor=acting_user,
        obj=user,
        spip_id=user.spip_id,
        details={"champs": changed},
    )
    return user


@transaction.atomic
def accept_charter(*, user: User) -> None:
    user.charter_accepted_at = timezone.now()
    user.save(update_fields=["charter_accepted_at"])
    record(AuditAction.CHARTE, actor=user, obj=user)
