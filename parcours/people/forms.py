from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone

from parcours.accounts.models import OrganisationKind, Role, User
from parcours.core.form_fields import (
    DATE_WIDGET,
    check_text_given,
    comment_field,
    text_field,
    version_field,
)
from parcours.rules.compliance import ComplianceState
from parcours.rules.identity import appi_problem, birth_date_problem, normalise_appi
from parcours.rules.measures import MeasureStatus

from .access import BREAK_GLASS_MOTIFS, Motif
from .models import Address, Person
from .names import clean_name, name_problem
from .phones import PhoneError, normalise_french_mobile
from .selectors import ACTIVE_MEASURES, filter_choices, service_antennas, service_cpips
from .services import APPI_TAKEN, appi_clash

# Name fields: stripped of invisible format characters and normalised (people/names.py).
NAME_FIELDS = ("last_name", "birth_name", "first_names", "aliases", "birth_place")


def phone_value(raw: str, normalise: Callable[[str], str]) -> str:
    """A typed phone number as `normalise` (people.phones) writes it, "" when none was typed;
    the number's problem (PhoneError) as the field's error. Agenda's places read theirs so."""
    if not raw:
        return ""
    try:
        return normalise(raw)
    except PhoneError as error:
        raise forms.ValidationError(str(error)) from None


class PersonForm(forms.ModelForm):
    """A person's identity.

    Names: Unicode format characters (category Cf: zero-width spaces and joiners, bidi controls
    such as U+202E) are removed and the text NFC-normalised before anything is checked, so an
    invisible character cannot defeat the duplicate check; control characters (Cc) are refused
    with a French message (`people.names`).

    APPI number: one number identifies one person nationally (the APPI application is national),
    so uniqueness stays national (the database's `person_appi_unique`). A clash answers the same
    neutral French message whether the other file is in the user's SPIP or elsewhere ("already
    registered: check the number, search the list, or tell your DPIP"), never where, whose or
    which SPIP; a clash with a file the user cannot see is journaled (REFUS, object type
    "numero_appi", under the user's SPIP) so that the encadrement can sort it out with the other
    service (`people.services.appi_clash`).
    """

    version = version_field()
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
        if appi_clash(self.user, value, exclude_pk=self.instance.pk):
            raise forms.ValidationError(APPI_TAKEN)
        return value

    def _clean_name(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        problem = name_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return clean_name(value)

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_birth_name(self) -> str:
        return self._clean_name("birth_name")

    def clean_first_names(self) -> str:
        return self._clean_name("first_names")

    def clean_aliases(self) -> str:
        return self._clean_name("aliases")

    def clean_birth_place(self) -> str:
        return self._clean_name("birth_place")

    def clean_phone(self) -> str:
        return phone_value(self.cleaned_data.get("phone", ""), normalise_french_mobile)

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
    # The person's version when the page was read: a transfer over a newer version (someone
    # transferred or edited the file since) is refused with the 409 page (core.locking).
    version = version_field()
    new_referent = forms.ModelChoiceField(
        label="Nouveau CPIP référent", queryset=User.objects.none(), empty_label="Choisir…"
    )
    reason = comment_field(
        "Motif du transfert",
        required=True,
        max_length=500,
        rows=3,
        min_length=5,
        error_messages={"min_length": "Précisez le motif (au moins 5 caractères)."},
    )

    def __init__(self, *args: Any, user: User, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = person.version
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
    detail = text_field(
        "Précision",
        max_length=500,
        help_text="Obligatoire pour « Autre motif ». Cette consultation est journalisée.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        other = data.get("motif") == Motif.AUTRE
        message = "Précisez le motif de la consultation (au moins 5 caractères)."
        check_text_given(self, data, "detail", other, message, min_length=5)
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
        self.fields["statut"].choices = [  # type: ignore[attr-defined]
            ("", "Tous les statuts"),
            (ACTIVE_MEASURES, "Mesures actives (à venir, en cours, suspendues)"),
            *MeasureStatus.choices,
        ]
        self.fields["antenne"].choices = [("", "Toutes"), *choices.antennas]  # type: ignore[attr-defined]
        self.fields["referent"].choices = [("", "Tous"), *choices.cpips]  # type: ignore[attr-defined]
