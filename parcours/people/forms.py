from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from parcours.accounts.models import OrganisationKind, Role, User
from parcours.rules.compliance import ComplianceState
from parcours.rules.identity import appi_problem, birth_date_problem, normalise_appi
from parcours.rules.measures import MeasureStatus

from .access import BREAK_GLASS_MOTIFS, Motif
from .models import Address, Person
from .phones import PhoneError, normalise_french_mobile
from .selectors import filter_choices, service_antennas, service_cpips

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Longer than the 12 stored digits: people type spaces, slashes or dashes inside the number,
    # which clean_appi_number removes before checking the 12 digits.
    appi_number = forms.CharField(
        label="Numéro APPI",
        required=False,
        max_length=20,
        help_text="12 chiffres : l'année puis 8 chiffres (ex. 202400012345).",
    )

    class Meta:
        model = Person
        fields = [
            "last_name",
            "birth_name",
            "first_names",
            "aliases",
            "birth_date",
            "birth_place",
            "birth_country",
            "sex",
            "nationality",
            "languages",
            "appi_number",
            "phone",
            "no_phone",
            "refuses_sms",
            "email",
            "housing",
            "antenna",
            "referent",
        ]
        widgets = {"birth_date": DATE_WIDGET}
        help_texts = {
            "phone": "Portable français, métropole ou outre-mer (ex. 06 12 34 56 78).",
            "aliases": "Autres noms utilisés, séparés par des virgules.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["antenna"].queryset = service_antennas(user)  # type: ignore[attr-defined]
        self.fields["referent"].queryset = service_cpips(user)  # type: ignore[attr-defined]
        self.fields["referent"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
        if self.instance.pk:
            # The referent changes only through a transfer, which keeps the history.
            del self.fields["referent"]
            self.fields["version"].initial = self.instance.version
        elif user.role == Role.CPIP:
            self.fields["referent"].initial = user.pk
            if user.organisation and user.organisation.kind == OrganisationKind.ANTENNE:
                self.fields["antenna"].initial = user.organisation_id
        for name in ("last_name", "first_names", "birth_name", "birth_place", "aliases"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        problem = birth_date_problem(value, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_appi_number(self) -> str:
        value = normalise_appi(self.cleaned_data.get("appi_number", ""))
        if not value:
            return ""
        problem = appi_problem(value, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        clash = Person.objects.filter(appi_number=value)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                "Ce numéro APPI est déjà enregistré pour une autre personne. Vérifiez le numéro "
                "ou recherchez la personne dans la liste."
            )
        return value

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        try:
            return normalise_french_mobile(raw)
        except PhoneError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("no_phone") and data.get("phone"):
            self.add_error("phone", "Décochez « sans téléphone » ou effacez le numéro.")
        if not self.instance.pk and not data.get("referent") and self.user.role == Role.CPIP:
            data["referent"] = self.user
        return data


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ["line", "postal_code", "city", "since"]
        widgets = {"since": DATE_WIDGET}

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].replace(" ", "")
        if not (value.isdigit() and len(value) == 5):
            raise forms.ValidationError("Le code postal comporte 5 chiffres.")
        return value

    def clean_since(self) -> Any:
        value = self.cleaned_data["since"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date d'emménagement ne peut pas être dans le futur.")
        return value


class TransferForm(forms.Form):
    new_referent = forms.ModelChoiceField(
        label="Nouveau CPIP référent", queryset=User.objects.none(), empty_label="Choisir…"
    )
    reason = forms.CharField(
        label="Motif du transfert",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=5,
        error_messages={"min_length": "Précisez le motif (au moins 5 caractères)."},
    )

    def __init__(self, *args: Any, user: User, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = service_cpips(user)
        if person.referent_id:
            qs = qs.exclude(pk=person.referent_id)
        field = self.fields["new_referent"]
        field.queryset = qs  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.get_full_name() or u.username} — {u.organisation}"
        )


class MotifForm(forms.Form):
    motif = forms.ChoiceField(
        label="Motif de la consultation",
        choices=[(m.value, m.label) for m in BREAK_GLASS_MOTIFS],
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label="Précision",
        required=False,
        max_length=500,
        help_text="Obligatoire pour « Autre motif ». Cette consultation est journalisée.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("motif") == Motif.AUTRE and len((data.get("detail") or "").strip()) < 5:
            self.add_error(
                "detail", "Précisez le motif de la consultation (au moins 5 caractères)."
            )
        return data


class CaseloadFilterForm(forms.Form):
    """Filters never touch sensitive data (CPénit. R113-51): names, number, measure, antenna,
    compliance status (whether proofs are up to date, never which obligation, e.g. care)."""

    q = forms.CharField(label="Nom ou numéro APPI", required=False, max_length=100)
    perimetre = forms.ChoiceField(
        label="Périmètre",
        required=False,
        choices=[("mes", "Mes personnes suivies"), ("service", "Tout le service")],
    )
    type = forms.ChoiceField(label="Type de mesure", required=False)
    statut = forms.ChoiceField(label="Statut de mesure", required=False)
    conformite = forms.ChoiceField(
        label="Conformité",
        required=False,
        choices=[("", "Tous"), *ComplianceState.choices],
    )
    antenne = forms.ChoiceField(label="Antenne", required=False)
    referent = forms.ChoiceField(label="CPIP référent", required=False)
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("nom", "Nom (A → Z)"),
            ("-nom", "Nom (Z → A)"),
            ("naissance", "Date de naissance"),
            ("recent", "Dernières créations"),
        ],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = filter_choices(user)
        self.fields["type"].choices = [("", "Tous les types"), *choices.measure_types]  # type: ignore[attr-defined]
        self.fields["statut"].choices = [("", "Mesures en cours"), *MeasureStatus.choices]  # type: ignore[attr-defined]
        self.fields["antenne"].choices = [("", "Toutes"), *choices.antennas]  # type: ignore[attr-defined]
        self.fields["referent"].choices = [("", "Tous"), *choices.cpips]  # type: ignore[attr-defined]
