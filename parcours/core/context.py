"""What the journal needs to know about the current request, without the request.

Services take the acting user and plain data, never `request` (architecture.md, "services").
The request id and the client IP travel in a context variable instead: the request middleware
binds them for the duration of a request, a task or a command may bind its own, and
`audit.services.record` reads them. Outside any binding both are empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


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
