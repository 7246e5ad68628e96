"""Session idle timeout, security charter gate, and the SPIP's own time zone for each request."""

from __future__ import annotations

import time
import zoneinfo

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from parcours.core.middleware import Middleware, view_name

LAST_SEEN_KEY = "parcours_last_seen"
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware(Middleware):
    """Logs out a session idle for longer than PARCOURS_SESSION_IDLE_SECONDS."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.PARCOURS_SESSION_IDLE_SECONDS:
                logout(request)
                # The login page explains the expiry (?expiree=1): the session is gone by now.
                return redirect(f"{reverse('accounts:login')}?expiree=1")
            # Written at most once a minute: no session write on every page.
            if last_seen is None or now - last_seen > LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


CHARTER_EXEMPT = {"accounts:charter", "accounts:logout", "core:health", "mfa:verify", "mfa:enrol"}


class CharterMiddleware(Middleware):
    """Every user accepts the charter of good use before any other page (domain.md §8)."""

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.charter_accepted_at is not None:
            return None
        if view_name(request) in CHARTER_EXEMPT:
            return None
        return redirect("accounts:charter")


class ServiceTimezoneMiddleware(Middleware):
    """Pages show dates in the user's SPIP time zone (overseas SPIP are not on Paris time)."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(request.user.service_timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
