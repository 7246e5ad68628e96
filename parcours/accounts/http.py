"""The typed request of a signed-in user.

Views type their request as `AuthedRequest` (every case view is behind `LoginRequiredMiddleware`),
so `request.user` is a `User` without a cast; services receive `request.user` (the acting user),
never the request: the request id and IP reach the journal through `core.context`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
