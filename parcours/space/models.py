"""The person's own space: who may sign in (SpaceAccount), the one-time codes (SignInChallenge),
the rate limits and lockout log (SignInAttempt), the space sessions (PersonSession) and the
CPIP's one-way notices (SpaceNotice). Codes and session tokens are stored hashed (HMAC-SHA256
with the project's secret), never in clear; the identifier typed by the person (mobile or
e-mail) is stored only as an HMAC too, so the log keeps no number of someone not followed."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import author
from parcours.rules.vocabulary import AttemptKind


class SpaceAccount(models.Model):
    """One per person whose CPIP has opened (or closed) the space."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="space_account"
    )
    enabled = models.BooleanField("espace personnel activé", default=False)
    changed_at = models.DateTimeField("modifié le", null=True, blank=True)
    changed_by = author()
    last_sign_in_at = models.DateTimeField("dernière connexion", null=True, blank=True)

    class Meta:
        verbose_name = "espace personnel"

    def __str__(self) -> str:
        return f"Espace personnel ({'activé' if self.enabled else 'désactivé'})"


class SignInAttempt(models.Model):
    """Append-only log of the sign-in steps, read by the rate limits and the lockout."""

    kind = models.CharField(max_length=8, choices=AttemptKind.choices)
    identifier_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = "tentative de connexion à l'espace"
        indexes = [
            models.Index(fields=["identifier_hash", "kind", "at"], name="space_attempt_id_idx"),
            models.Index(fields=["ip", "kind", "at"], name="space_attempt_ip_idx"),
            models.Index(fields=["person"], name="space_attempt_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"


class SignInChallenge(models.Model):
    """A code sent (or, for an identifier that matches nobody, a code never sent: the answer is
    the same). The browser holds the challenge's token in its own cookie."""

    token_hash = models.CharField(max_length=64, unique=True)
    identifier_hash = models.CharField(max_length=64)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "code de connexion à l'espace"
        indexes = [models.Index(fields=["person"], name="space_challenge_person_idx")]

    def __str__(self) -> str:
        return f"Code du {self.created_at:%d/%m/%Y %H:%M}"


class PersonSession(models.Model):
    """A signed-in person (never a Django session: its own cookie, path /espace/)."""

    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="space_sessions"
    )
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "session de l'espace personnel"
        indexes = [models.Index(fields=["person", "created_at"], name="space_session_person_idx")]

    def __str__(self) -> str:
        return f"Session du {self.created_at:%d/%m/%Y %H:%M}"


class SpaceNotice(models.Model):
    """A one-way message of the CPIP, shown in the person's space."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="space_notices"
    )
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("message")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "message de l'espace personnel"
        indexes = [models.Index(fields=["person", "created_at"], name="space_notice_person_idx")]

    def __str__(self) -> str:
        return f"Message du {self.created_at:%d/%m/%Y %H:%M}"
