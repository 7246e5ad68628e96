"""Journal logins, logouts, failed logins and lockouts; remember sessions so they can be ended."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core import context

from .models import User, UserSession


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditAction.CONNEXION, actor=user, obj=user)
    if request is not None and request.session.session_key:
        UserSession.objects.get_or_create(
            user=user,
            session_key=request.session.session_key,
            defaults={
                "ip_address": context.current().client_ip,
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            },
        )


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    record(AuditAction.DECONNEXION, actor=user, obj=user)
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record(AuditAction.ECHEC_CONNEXION, username=username)


@receiver(user_locked_out)
def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    """django-axes locked a username out (too many failures): journaled with the username tried,
    never the password; the known account, if any, is the object."""
    attempted = str(username or "")[:150]
    account = User.objects.filter(username=attempted).first() if attempted else None
    record(
        AuditAction.VERROUILLAGE,
        username=attempted,
        obj=account,
        spip_id=account.spip_id if account is not None else None,
        details={"identifiant": attempted},
    )
