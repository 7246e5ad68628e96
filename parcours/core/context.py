"""What the journal needs to know about the current request, without the request.

Services take the acting user and plain data, never `request` (architecture.md, "services").
The request id and the client IP travel in a context variable instead: the request middleware
binds them for the duration of a request, a task or a command may bind its own, and
`audit.services.record` reads them. Outside any binding both are empty.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_ip: str | None = None


NO_REQUEST = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("parcours_request_context", default=NO_REQUEST)


def current() -> RequestContext:
    return _current.get()


@contextmanager
def bound(context: RequestContext) -> Iterator[RequestContext]:
    """Makes `context` the current one inside the block (nested bindings restore the outer)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


# --- The client's address ---------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def trusted_networks(proxies: Iterable[str] | None = None) -> tuple[Network, ...]:
    """PARCOURS_TRUSTED_PROXIES (settings.TRUSTED_PROXIES): addresses or CIDR ranges of the
    reverse proxies in front of the application."""
    if proxies is None:
        from django.conf import settings

        proxies = getattr(settings, "TRUSTED_PROXIES", ())
    return _networks(tuple(proxies))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: Any, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, unless REMOTE_ADDR is a trusted proxy; then the
    right-most address of X-Forwarded-For that is not itself a trusted proxy (each proxy appends
    the address it received the request from, so the addresses on the right are the ones the
    trusted proxies wrote; anything to the left of the first untrusted one may be forged by the
    client). Used by the journal and by django-axes (AXES_CLIENT_IP_CALLABLE)."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for item in reversed(forwarded.split(",")):
        hop = _address(item)
        if hop is None:
            # A malformed hop: nothing to its left can be trusted; the last good address is the
            # proxy's own.
            break
        if not _trusted(hop, networks):
            return str(hop)
        remote = hop
    return str(remote)
