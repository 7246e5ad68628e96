"""Forms of two-factor sign-in (parcours/accounts/mfa.py)."""

from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=32,
        help_text="Les 6 chiffres affichés par votre application, ou un code de secours.",
        error_messages={"required": "Ce champ est obligatoire : saisissez le code."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class EnrolForm(CodeForm):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=16,
        help_text="6 chiffres, par exemple 123456.",
        error_messages={"required": "Ce champ est obligatoire : saisissez le code."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )
