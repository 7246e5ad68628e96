"""Doors: the one way a view reaches a protected object.

A door is declared once per protected object type (a person, a measure, a report…) by the app
that owns it, from an *opener* — `opener(request, identifier, journal=…)` returns what the view
works on, raises `Http404` outside the user's scope (another SPIP's object does not exist) and
`core.errors.MotifRequired` when a break-the-glass motif is needed first; it journals the
consultation when `journal` is true. The door turns that into a view decorator that applies, in
this order and always the same way:

1. the HTTP methods (405 with a French text otherwise);
2. the roles (403 before any lookup, so the answer does not depend on the identifier);
3. the opener, with the consultation journaled on reads (GET/HEAD) — a write journals itself in
   its service;
4. an optional capability check on what was opened (`allow(request, *opened)`), 403 with its
   French reason.

Every refusal of a door (403 of the role or of the capability, 404 of the opener or of the view)
is journaled as a REFUS event (`door_refused`, written by `people.apps`): the identifier asked,
the door's object type and the status, nothing read from the object (a 404 must not tell
whether the object exists). One row per refused request; the 302 to the motif page is not a
refusal (the motif page journals itself).

    person_door = Door("personne", open_person, kwarg="public_id")

    @person_door(roles=CASELOAD_ROLES)
    def person_detail(request, access): ...

    @person_door(roles=WRITERS, methods=("GET", "POST"), allow=can_edit, denied="…")
    def person_edit(request, access): ...

When the opener returns a tuple (an object and the access to its person file), the view receives
its items as positional arguments after the request. Views of lists use the app's selectors,
which start from the same scope (`Person.objects.visible_to`). `tests/test_doors.py` fails when a
view module reads a case model any other way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.dispatch import Signal
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_http_methods

T = TypeVar("T")
# A view answers a page or a file (FileResponse is a streaming response, not an HttpResponse).
View = Callable[..., HttpResponseBase]
Opener = Callable[..., T]

READ_METHODS = ("GET", "HEAD")
ROLE_DENIED = "Votre rôle ne donne pas accès à cette page."
EDIT_DENIED = "Vous pouvez consulter ce dossier mais pas le modifier."


def allowed(
    *,
    roles: Collection[str],
    methods: Collection[str] = ("GET",),
    denied: str = ROLE_DENIED,
) -> Callable[[View], View]:
    """The first two steps of every door, for views without an object (lists, forms of
    creation): the methods (405), then the roles (403)."""
    role_set = frozenset(str(r) for r in roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if getattr(request.user, "role", None) not in role_set:
                raise PermissionDenied(denied)
            return view(request, *args, **kwargs)

        checked.parcours_roles = role_set  # type: ignore[attr-defined]
        return require_http_methods(list(methods))(checked)

    return decorator


# Sent on every refusal of a door (core sits below the journal: `people.apps` connects the
# receiver that writes the REFUS row). Arguments: request, door (its object type), identifier,
# status (403 or 404).
door_refused = Signal()
REFUSAL_SEEN = "parcours_refusal_journaled"


def journal_refusal(request: HttpRequest, door: str, identifier: Any, status: int) -> None:
    """Announces a door's refusal (403/404) of a signed-in user's request, once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, REFUSAL_SEEN, False):
        return
    setattr(request, REFUSAL_SEEN, True)  # one row per refused request
    door_refused.send(sender=Door, request=request, door=door, identifier=identifier, status=status)


class Door(Generic[T]):
    """A view decorator factory around one opener (see the module docstring)."""

    def __init__(self, name: str, opener: Opener[T], *, kwarg: str = "public_id") -> None:
        self.name = name
        self.opener = opener
        self.kwarg = kwarg

    def __call__(
        self,
        *,
        roles: Collection[str],
        methods: Collection[str] = ("GET",),
        allow: Callable[..., bool] | None = None,
        denied: str = EDIT_DENIED,
        journal: Collection[str] = READ_METHODS,
    ) -> Callable[[View], View]:
        opener = self.opener
        kwarg = self.kwarg

        def decorator(view: View) -> View:
            @wraps(view)
            def through_door(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                identifier = kwargs.pop(kwarg)
                target = opener(request, identifier, journal=request.method in journal)
                opened = target if isinstance(target, tuple) else (target,)
                if allow is not None and not allow(request, *opened):
                    raise PermissionDenied(denied)
                return view(request, *opened, *args, **kwargs)

            through_door.parcours_door = self.name  # type: ignore[attr-defined]
            checked = allowed(roles=roles, methods=methods)(through_door)

            @wraps(checked)
            def journaled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                try:
                    return checked(request, *args, **kwargs)
                except Http404:
                    journal_refusal(request, self.name, kwargs.get(kwarg), 404)
                    raise
                except PermissionDenied:
                    journal_refusal(request, self.name, kwargs.get(kwarg), 403)
                    raise

            return journaled

        return decorator

    def keyed_by(self, kwarg: str) -> Door[T]:
        """The same door (name, opener) for URLs that name its object `kwarg`, e.g. those that
        hang a new record on it (`measure_door.keyed_by("measure_id")`)."""
        return Door(self.name, self.opener, kwarg=kwarg)

    def open(self, request: HttpRequest, identifier: Any, *, journal: bool = True) -> T:
        """The opener itself, for a view that opens a second object of the same kind (or answers
        its own way, e.g. in JSON); its 404 is journaled as a refusal too."""
        try:
            return self.opener(request, identifier, journal=journal)
        except Http404:
            journal_refusal(request, self.name, identifier, 404)
            raise


ModelT = TypeVar("ModelT", bound=models.Model)


def get_or_404(queryset: models.QuerySet[ModelT], message: str, **lookup: Any) -> ModelT:
    """What an opener looks up: the one row of `queryset` (the user's scope) matching `lookup`,
    else Http404 with `message` (a malformed identifier, ValueError, is not found either)."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError):
        raise Http404(message) from None
