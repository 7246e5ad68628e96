"""Journal logins, logouts and failed logins; remember sessions so they can be ended."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from parcours.audit.models import AuditAction
from parcours.audit.services import record

from .models import UserSession


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditAction.CONNEXION, actor=user, obj=user)
    if request is not None and request.session.session_key:
        UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)


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
