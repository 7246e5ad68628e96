"""Forms of two-factor sign-in (parcours/accounts/mfa.py)."""

from __future__ import annotations

from typing import Any

from django import forms


def _code_field(label: str, *, max_length: int, help_text: str, **attrs: Any) -> forms.CharField:
    """A one-time code input (the browser may fill it from the authenticator app)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        error_messages={"required": "Ce champ est obligatoire : saisissez le code."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", **attrs, "spellcheck": "false"}
        ),
    )


class CodeForm(forms.Form):
    code = _code_field(
        "Code de vérification",
        max_length=32,
        help_text="Les 6 chiffres affichés par votre application, ou un code de secours.",
        autofocus=True,
    )


class EnrolForm(CodeForm):
    code = _code_field(
        "Code affiché par l'application",
        max_length=16,
        help_text="6 chiffres, par exemple 123456.",
        inputmode="numeric",
    )
