from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from parcours.core.form_fields import comment_field
from parcours.rules.identity import staff_name_problem

from .models import NO_ROLE, NO_ROLE_LABEL, ROLE_ORGANISATION_KINDS, Organisation, Role, User
from .services import SELF_CHANGE_REFUSED


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
    """An administrator's account form. No password field: the user sets their own from a link.
    A case role chosen here is only requested (services.save_user)."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "organisation", "role"]
        labels = {
            "username": "Identifiant",
            "first_name": "Prénom",
            "last_name": "Nom",
            "email": "Adresse électronique",
        }

    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["organisation"].required = True
        self.fields["organisation"].empty_label = "Choisir…"  # type: ignore[attr-defined]
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        self.fields[
            "email"
        ].help_text = "Le lien pour définir le mot de passe est envoyé à cette adresse."
        self.fields["username"].help_text = "Lettres, chiffres et @ . + - _ uniquement."
        role = self.fields["role"]
        role.choices = [(NO_ROLE, NO_ROLE_LABEL), *Role.choices]  # type: ignore[attr-defined]
        role.help_text = (
            "Un rôle donnant accès aux dossiers (ou le rôle d'administrateur) ne prend effet "
            "qu'après validation par une seconde personne."
        )
        if self.instance.pk is None:
            role.initial = NO_ROLE
        if self.instance.pk is not None and self.instance.pk == acting_user.pk:
            role.help_text = SELF_CHANGE_REFUSED

    def clean_first_name(self) -> str:
        return _staff_name(self.cleaned_data.get("first_name", ""))

    def clean_last_name(self) -> str:
        return _staff_name(self.cleaned_data.get("last_name", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org = data.get("organisation")
        role = data.get("role")
        instance = self.instance
        own_account = instance.pk is not None and instance.pk == self.acting_user.pk
        role_moved = "role" in data and role != instance.role
        org_moved = "organisation" in data and getattr(org, "pk", None) != instance.organisation_id
        if own_account and (role_moved or org_moved):
            raise forms.ValidationError(SELF_CHANGE_REFUSED)
        if org is not None and role and org.kind not in ROLE_ORGANISATION_KINDS[role]:
            self.add_error(
                "organisation",
                f"Le rôle « {Role(role).label} » ne peut pas être rattaché à une organisation de "
                f"type « {org.get_kind_display()} ».",
            )
        return data


def _staff_name(value: str) -> str:
    problem = staff_name_problem(value)
    if problem:
        raise forms.ValidationError(problem)
    return value.strip()


UNCHANGED_REFUSED = "Le nouveau mot de passe doit être différent de l'actuel."


class DefinePasswordForm(SetPasswordForm):
    """The user chooses their password (reset link); the validators of settings apply."""

    error_messages = {"password_mismatch": "Les deux mots de passe ne sont pas identiques."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password2"].label = "Confirmation du mot de passe"

    def clean(self) -> dict[str, Any]:
        # Django attaches the validators' errors to the confirmation; the user reads them next
        # to the password they chose.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self) or {}


class ChangePasswordForm(DefinePasswordForm, PasswordChangeForm):
    """A signed-in user changes their password: the current one first (ASVS V6.2.3)."""

    error_messages = {
        **DefinePasswordForm.error_messages,
        "password_incorrect": "Le mot de passe actuel est incorrect.",
    }
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        current, new = data.get("old_password"), data.get("new_password1")
        if current and new and current == new:
            self.add_error("new_password1", UNCHANGED_REFUSED)
        return data


class RoleDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("valider", "Valider la demande"), ("rejeter", "Rejeter la demande")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez de valider ou de rejeter la demande."},
    )
    reason = comment_field("Motif", max_length=500, rows=3, help_text="Obligatoire pour un rejet.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "rejeter" and not data.get("reason", "").strip():
            self.add_error("reason", "Indiquez le motif du rejet.")
        return data


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


class EndSessionsForm(forms.Form):
    """ "Mes sessions": end one other session (`session`), or all the others (`toutes`)."""

    session = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    toutes = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("session") and not data.get("toutes"):
            raise forms.ValidationError("Choisissez la session à fermer.")
        return data
