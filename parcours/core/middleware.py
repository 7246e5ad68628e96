"""Cross-cutting middleware: the request context for the journal, the answers to the layers'
exceptions (motif, conflict), no caching of authenticated pages, French 405 bodies."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import urlencode

from . import context
from .errors import ConflictError, MotifRequired

# A client's X-Request-ID is kept only when it is plainly an identifier (fullmatch: `$` would
# let a trailing newline through, which Django then refuses to echo in the response header).
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Case data never waits in a browser's or a shared proxy's cache.
PRIVATE_NO_STORE = "private, no-store"


def safe_request_id(incoming: str) -> str:
    """The client's request id when it matches the safe pattern, else a new one."""
    return incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex


def mark_private(response: HttpResponseBase) -> HttpResponseBase:
    """`Cache-Control: private, no-store` on a response that carries case data (pages, files,
    calendar feeds)."""
    response["Cache-Control"] = PRIVATE_NO_STORE
    response["Pragma"] = "no-cache"
    return response


def view_name(request: HttpRequest) -> str:
    """The resolved view's `namespace:url_name` ("" before URL resolution or without a match)."""
    match = request.resolver_match
    return f"{match.namespace}:{match.url_name}" if match else ""


def redirect_back(request: HttpRequest, url: str, param: str) -> HttpResponse:
    """Send the user to `url`, a page that brings them back to the one asked for: a GET or HEAD
    passes its full path in the query parameter `param`; an HTMX request gets a 204 with an
    `HX-Redirect` (a plain redirect would swap the whole page into the fragment)."""
    if request.method in ("GET", "HEAD"):
        url += "?" + urlencode({param: request.get_full_path()})
    return go_to(request, url)


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, or for an HTMX request a 204 with an `HX-Redirect` (a plain redirect would
    swap the whole page into the fragment)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class Middleware:
    """The shape every middleware here shares: keeps `get_response`; `__call__` passes the
    request on unchanged (a subclass overrides it, or only adds `process_view`/
    `process_exception`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class RequestContextMiddleware(Middleware):
    """Binds the request id (the client's X-Request-ID when it matches the safe pattern, else a
    new one) and the client IP (`context.client_ip`: X-Forwarded-For only from a trusted proxy)
    for the journal (`core.context`), for the whole request."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = safe_request_id(request.headers.get("X-Request-ID", ""))
        request.request_id = request_id  # type: ignore[attr-defined]
        bound = context.RequestContext(request_id=request_id, client_ip=context.client_ip(request))
        with context.bound(bound):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class CaseErrorsMiddleware(Middleware):
    """One answer per cross-layer exception, instead of a try/except in every view:

    - `MotifRequired` → the motif page (302; an HTMX request gets an `HX-Redirect`), which
      brings the user back to the page asked for once the motif is given;
    - `ConflictError` that no form view caught → the 409 page, nothing overwritten."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, MotifRequired):
            return redirect_back(request, exception.motif_url, "suivant")
        if isinstance(exception, ConflictError):
            return render(
                request,
                "core/conflict.html",
                {"title": "Modification concurrente", "message": exception.message},
                status=409,
            )
        return None


class NoStoreMiddleware(Middleware):
    """Authenticated pages carry case data: never cached by browsers or proxies."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mark_private(response)
        return response


class MethodNotAllowedMiddleware(Middleware):
    """Django answers 405 with an empty body; give the user a French explanation."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = "Méthode non autorisée pour cette adresse.".encode()
            response["Content-Type"] = "text/plain; charset=utf-8"
        return response
