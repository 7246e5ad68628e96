"""A user's open sessions (OWASP ASVS 5.0, V7.5: a user sees their active sessions and can end
any or all of them): listed on "Mes sessions", ended one by one or all but the current one, and
ended at once, but for the current one, when the second factor is activated (a session opened
before, by someone else, would otherwise go on without it).

A session is listed while Django still holds it and it has not been idle past
PARCOURS_SESSION_IDLE_SECONDS (`SessionTimeoutMiddleware` would end it at its next request).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from parcours.audit.models import AuditAction
from parcours.audit.services import record

from .middleware import LAST_SEEN_KEY
from .models import User, UserSession


@dataclass(frozen=True)
class OpenSession:
    id: int  # the UserSession's key, only ever looked up among the user's own sessions
    opened_at: datetime
    last_seen: datetime | None
    address: str
    current: bool
    device: str = ""


# What "Mes sessions" tells of a browser, from its User-Agent: the first marker found names it
# (Edge and Opera also say "Chrome", Chrome also says "Safari": the most specific comes first).
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """ "Firefox sur Windows", "Chrome sur Android"…; "" when nothing is recognised."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} sur {system}"
    return browser or system


def open_sessions(user: User, current_key: str | None) -> list[OpenSession]:
    """The user's sessions still alive, this one first, then the most recent."""
    rows = list(UserSession.objects.filter(user=user).order_by("-created_at", "-pk"))
    now = timezone.now()
    live = Session.objects.filter(
        session_key__in=[row.session_key for row in rows], expire_date__gt=now
    )
    data = {session.session_key: session.get_decoded() for session in live}
    found: list[OpenSession] = []
    for row in rows:
        if row.session_key not in data:
            continue
        seen = data[row.session_key].get(LAST_SEEN_KEY)
        if isinstance(seen, int | float):
            if now.timestamp() - seen > settings.PARCOURS_SESSION_IDLE_SECONDS:
                continue
            last_seen: datetime | None = datetime.fromtimestamp(seen, tz=UTC)
        else:
            last_seen = None
        found.append(
            OpenSession(
                id=row.pk,
                opened_at=row.created_at,
                last_seen=last_seen,
                address=row.ip_address or "",
                current=row.session_key == current_key,
                device=device_label(row.user_agent),
            )
        )
    return sorted(found, key=lambda s: not s.current)


def close(user: User, *, keep_key: str | None = None, only: int | None = None) -> int:
    """Ends the user's sessions but `keep_key` (all of them, or the one `only` names); the
    caller journals. Returns how many were ended."""
    rows = UserSession.objects.filter(user=user)
    if keep_key:
        rows = rows.exclude(session_key=keep_key)
    if only is not None:
        rows = rows.filter(pk=only)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user, session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def end_sessions(*, user: User, keep_key: str | None, only: int | None = None, reason: str) -> int:
    """`close`, journaled (when any was ended) with the number ended and why."""
    ended = close(user, keep_key=keep_key, only=only)
    if ended:
        record(
            AuditAction.DECONNEXION,
            actor=user,
            obj=user,
            details={"sessions_fermees": ended, "motif": reason},
        )
    return ended
