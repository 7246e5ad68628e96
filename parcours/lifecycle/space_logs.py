"""Retention of the person's space technical rows (docs/adr/0023), independent of the file's
five years: they protect the sign-in, they are not the follow-up.

- Sign-in codes (SignInChallenge): useless once used or expired (ten minutes,
  rules.space.CODE_VALIDITY); deleted one day after their expiry or use, the day leaving the
  rate limits and a support question of the same day their rows.
- Sign-in log (SignInAttempt): a security log (rate limits, lockout, investigation of an attack);
  kept 90 days: the limits read only the last hour, 90 days leave time to investigate an
  attack, and it stays below the six months to one year of the CNIL's logging recommendation
  (délibération n° 2021-122, to check). Convention, to confirm with the DPO.
- Space sessions (PersonSession): once ended (signed out or expired: idle or absolute limit,
  rules.space), kept 90 days as the person's sign-in history (shown in the right-of-access
  export), then deleted. SpaceAccount.last_sign_in_at stays.

`purge_space_logs(now)` runs in one transaction and returns the counts; nightly through
`manage.py purge_space_logs` (settings.PARCOURS_SCHEDULE)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from parcours.rules import space as space_rules
from parcours.space.models import PersonSession, SignInAttempt, SignInChallenge

CODES_KEPT = timedelta(days=1)
ATTEMPTS_KEPT = timedelta(days=90)
SESSIONS_KEPT = timedelta(days=90)


def purge_space_logs(now: datetime) -> dict[str, int]:
    codes_before = now - CODES_KEPT
    sessions_before = now - SESSIONS_KEPT
    with transaction.atomic():
        codes = SignInChallenge.objects.filter(
            Q(expires_at__lt=codes_before) | Q(used_at__lt=codes_before)
        ).delete()[0]
        attempts = SignInAttempt.objects.filter(at__lt=now - ATTEMPTS_KEPT).delete()[0]
        # A session never signed out ended at its absolute limit at the latest.
        sessions = PersonSession.objects.filter(
            Q(ended_at__lt=sessions_before)
            | Q(
                ended_at__isnull=True,
                created_at__lt=sessions_before - space_rules.SESSION_ABSOLUTE,
            )
        ).delete()[0]
    return {"codes": codes, "tentatives": attempts, "sessions": sessions}
