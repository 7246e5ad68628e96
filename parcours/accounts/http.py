"""The typed request of a signed-in user, resolved once per request.

`CallerMiddleware` (after authentication) attaches `request.caller`: who acts, with which role,
for which SPIP and organisation, under which request id and from which client IP. Views type
their request as `AuthedRequest` (every case view is behind `LoginRequiredMiddleware`), so
`request.user` is a `User` without a cast; services receive `request.user` (the acting user),
never the request: the request id and IP reach the journal through `core.context`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

from parcours.core import context

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import User


@dataclass(frozen=True)
class Caller:
    user: User
    role: str
    spip_id: int | None
    organisation_id: int | None
    request_id: str
    client_ip: str | None

    @classmethod
    def of(cls, user: User) -> Caller:
        bound = context.current()
        return cls(
            user=user,
            role=user.role,
            spip_id=user.spip_id,
            organisation_id=user.organisation_id,
            request_id=bound.request_id,
            client_ip=bound.client_ip,
        )


class AuthedRequest(HttpRequest):
    user: User
    caller: Caller
    htmx: HtmxDetails


class CallerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            request.caller = Caller.of(user)  # type: ignore[attr-defined]
        return self.get_response(request)
