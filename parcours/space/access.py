"""The door of the person's own space: `space_door`, its own cookie, never Django's session.

A staff session never opens the space (only the space cookie does), and the space cookie never
opens a staff page (Django's authentication does not know it; its path is /espace/). Each page
opened is journaled as a consultation of the person's file. The pages run in the zone of the
person's SPIP.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from parcours.people.models import Person
from parcours.rules import space as rules

from . import services

SESSION_COOKIE = "parcours_espace"
CHALLENGE_COOKIE = "parcours_espace_code"
COOKIE_PATH = "/espace/"
DOOR_NAME = "espace personnel"

SpaceView = Callable[..., HttpResponseBase]


def set_space_cookie(response: HttpResponseBase, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        secure=bool(settings.SESSION_COOKIE_SECURE),
        httponly=True,
        samesite="Strict",
    )


def drop_space_cookie(response: HttpResponseBase, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, samesite="Strict")


def start_session(response: HttpResponseBase, token: str) -> None:
    set_space_cookie(response, SESSION_COOKIE, token, int(rules.SESSION_ABSOLUTE.total_seconds()))
    drop_space_cookie(response, CHALLENGE_COOKIE)


def public_space_view(methods: Collection[str]) -> Callable[[SpaceView], SpaceView]:
    """The sign-in pages: public (no staff login), never cached, methods checked (405)."""

    def decorator(view: SpaceView) -> SpaceView:
        return login_not_required(never_cache(require_http_methods(list(methods))(view)))

    return decorator


def space_door(
    *, page: str, methods: Collection[str] = ("GET",)
) -> Callable[[SpaceView], SpaceView]:
    """`@space_door(page="Mes rendez-vous")` → view(request, person, **kwargs). Methods first
    (405), then the space session (no live session: back to /espace/, cookie dropped)."""

    def decorator(view: SpaceView) -> SpaceView:
        @wraps(view)
        def through_door(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            token = request.COOKIES.get(SESSION_COOKIE, "")
            session = services.open_session(token)
            if session is None:
                response: HttpResponseBase = redirect("space:sign_in")
                if token:
                    drop_space_cookie(response, SESSION_COOKIE)
                    response["Location"] += "?fin=1"
                return response
            person: Person = session.person
            if request.method == "GET":
                services.journal_page(person, page)
            with timezone.override(services.person_zone(person)):
                return view(request, person, *args, **kwargs)

        through_door.parcours_door = DOOR_NAME  # type: ignore[attr-defined]
        return public_space_view(methods)(through_door)

    return decorator


def session_open(request: HttpRequest) -> bool:
    return services.open_session(request.COOKIES.get(SESSION_COOKIE, "")) is not None


def plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
