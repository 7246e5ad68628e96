"""Password rules (security.md bar 7): length by role, no composition rules, no context words."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class RoleMinimumLengthValidator:
    """At least 15 characters, 16 for administrators."""

    def validate(self, password: str, user: Any = None) -> None:
        minimum = 16 if getattr(user, "role", "") == "admin" else 15
        if len(password) < minimum:
            raise ValidationError(
                "Le mot de passe doit contenir au moins %(min)d caractères.",
                code="password_too_short",
                params={"min": minimum},
            )

    def get_help_text(self) -> str:
        return "Au moins 15 caractères (16 pour un administrateur). Une phrase facile à retenir."


class ContextWordsValidator:
    """Refuses passwords built on words of the context (service names, "spip", "justice"…)."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = _fold(password)
        words = list(settings.PARCOURS_PASSWORD_CONTEXT_WORDS)
        org = getattr(user, "organisation", None)
        if org is not None:
            words.extend(w for w in _fold(org.name).split() if len(w) >= 4)
        for word in words:
            if _fold(word) in folded:
                raise ValidationError(
                    "Le mot de passe ne doit pas contenir « %(word)s » ni le nom du service.",
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return "N'utilisez pas de mots liés au service (« spip », « justice », nom du service…)."
