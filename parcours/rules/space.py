"""The person's own space (issue 18): sign-in by one-time code and the space session.

Pure functions and thresholds, no Django. Security choices, not legal rules (docs/adr/0019):
a 6-digit code valid 10 minutes and used once; 3 codes per number in 15 minutes and 10 per
client address in an hour; 5 wrong codes for a number in 30 minutes lock it for 30 minutes;
a session ends after 15 minutes without activity and 2 hours after sign-in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_DIGITS = 6
CODE_VALIDITY = timedelta(minutes=10)
CODES_PER_NUMBER = 3
CODES_PER_NUMBER_WINDOW = timedelta(minutes=15)
CODES_PER_ADDRESS = 10
CODES_PER_ADDRESS_WINDOW = timedelta(hours=1)
WRONG_CODES_BEFORE_LOCK = 5
LOCK_WINDOW = timedelta(minutes=30)
LOCK_DURATION = timedelta(minutes=30)
SESSION_IDLE = timedelta(minutes=15)
SESSION_ABSOLUTE = timedelta(hours=2)


@dataclass(frozen=True)
class Limit:
    """`allowed` False: wait until `retry_at`."""

    allowed: bool
    retry_at: datetime | None = None


def within_limit(
    previous: Sequence[datetime], now: datetime, *, most: int, window: timedelta
) -> Limit:
    """`most` events allowed in any sliding `window`; `previous` are the earlier events."""
    recent = sorted(t for t in previous if t > now - window)
    if len(recent) < most:
        return Limit(True)
    return Limit(False, recent[len(recent) - most] + window)


def locked_until(failures: Sequence[datetime], now: datetime) -> datetime | None:
    """The end of the lock after WRONG_CODES_BEFORE_LOCK wrong codes within LOCK_WINDOW (the
    lock runs from the last of them), or None."""
    recent = sorted(t for t in failures if t > now - LOCK_WINDOW - LOCK_DURATION)
    for end in range(len(recent), WRONG_CODES_BEFORE_LOCK - 1, -1):
        window = recent[end - WRONG_CODES_BEFORE_LOCK : end]
        if window[-1] - window[0] <= LOCK_WINDOW:
            until = window[-1] + LOCK_DURATION
            return until if until > now else None
    return None


def minutes_until(when: datetime, now: datetime) -> int:
    return max(1, math.ceil((when - now).total_seconds() / 60))


def retry_text(when: datetime, now: datetime) -> str:
    """« dans 12 minutes », for the French messages of the sign-in pages."""
    minutes = minutes_until(when, now)
    return f"dans {minutes} minute{'s' if minutes > 1 else ''}"


def session_alive(created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at < SESSION_IDLE and now - created_at < SESSION_ABSOLUTE


def space_refusal(
    *, enabled: bool, refuses_sms: bool, sms_problem: str | None, email_problem: str | None
) -> str | None:
    """Why the person cannot use the space (French), or None. Off when the CPIP has not enabled
    it, when the person refuses SMS (the code would go by SMS) or has neither a valid mobile nor
    a valid e-mail to receive the code."""
    if refuses_sms:
        return "La personne refuse les SMS : l'espace personnel est fermé."
    if sms_problem and email_problem:
        return "Ni portable ni adresse électronique valide pour recevoir le code de connexion."
    if not enabled:
        return "L'espace personnel n'est pas activé."
    return None
