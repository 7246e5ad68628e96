from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from .models import ROLE_ORGANISATION_KINDS, Organisation, Role, User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Identifiant",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        # Same answer for an unknown account, a wrong password and a deactivated account.
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Identifiant ou mot de passe incorrect.",
    }


class CharterForm(forms.Form):
    accept = forms.BooleanField(
        label="J'ai lu la charte et je m'engage à la respecter.",
        error_messages={"required": "Vous devez accepter la charte pour continuer."},
    )


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label="Mot de passe initial",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 15 caractères (16 pour un administrateur). Laisser vide pour ne pas "
        "changer.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "organisation", "role"]
        labels = {
            "username": "Identifiant",
            "first_name": "Prénom",
            "last_name": "Nom",
            "email": "Adresse électronique",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["organisation"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["username"].help_text = "Lettres, chiffres et . _ - uniquement."
        if self.instance.pk is None:
            self.fields["password"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org = data.get("organisation")
        role = data.get("role")
        if org is not None and role and org.kind not in ROLE_ORGANISATION_KINDS[role]:
            self.add_error(
                "organisation",
                f"Le rôle « {Role(role).label} » ne peut pas être rattaché à une organisation de "
                f"type « {org.get_kind_display()} ».",
            )
        password = data.get("password")
        if password:
            candidate = self.instance
            for name in ("username", "first_name", "last_name", "email", "organisation", "role"):
                if name in data:
                    setattr(candidate, name, data[name])
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    role = forms.ChoiceField(
        label="Rôle", required=False, choices=[("", "Tous les rôles"), *Role.choices]
    )
    actif = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous"), ("1", "Actifs"), ("0", "Désactivés")],
    )
