"""The forms of a dessaisissement: the request, the receiving service's decision, the
withdrawal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from parcours.accounts.models import Organisation, User
from parcours.core.form_fields import comment_field, date_field, field_of, version_field
from parcours.people.selectors import service_antennas, service_cpips
from parcours.rules.handovers import HandoverAction
from parcours.rules.vocabulary import OrganisationKind

REASON_ERRORS = {"min_length": "Précisez le motif (au moins 5 caractères)."}


def _reason(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return comment_field(
        label,
        required=required,
        max_length=1000,
        rows=3,
        min_length=5,
        help_text=help_text,
        error_messages=REASON_ERRORS,
    )


class HandoverRequestForm(forms.Form):
    to_spip = forms.ModelChoiceField(
        label="SPIP destinataire",
        queryset=Organisation.objects.none(),
        empty_label="Choisir…",
        help_text="Le SPIP du ressort de la nouvelle résidence habituelle (CPP art. 712-10).",
    )
    reason = _reason(
        "Motif",
        help_text="Par exemple : déménagement pour un emploi, ordonnance du JAP.",
    )
    new_address = comment_field("Nouvelle adresse", max_length=500, rows=2)
    jap_order_on = date_field(
        "Date de l'ordonnance de dessaisissement du JAP",
        required=False,
        help_text="Si elle est déjà rendue.",
    )

    def __init__(self, *args: Any, person_spip_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "to_spip", forms.ModelChoiceField).queryset = (
            Organisation.objects.filter(kind=OrganisationKind.SPIP, is_active=True)
            .exclude(pk=person_spip_id)
            .order_by("name")
        )

    def clean_jap_order_on(self) -> Any:
        value = self.cleaned_data.get("jap_order_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Une ordonnance ne peut pas être datée d'un jour à venir.")
        return value


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} — {obj.organisation}"


class HandoverDecisionForm(forms.Form):
    version = version_field()
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(a.value, a.label) for a in (HandoverAction.ACCEPTER, HandoverAction.REFUSER)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez d'accepter ou de refuser."},
    )
    antenna = forms.ModelChoiceField(
        label="Antenne", queryset=Organisation.objects.none(), required=False, empty_label="—"
    )
    referent = StaffChoiceField(
        label="CPIP référent",
        queryset=User.objects.none(),
        required=False,
        empty_label="À attribuer plus tard",
    )
    tribunal = forms.ModelChoiceField(
        label="Tribunal (JAP) des mesures en cours",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Inchangé",
    )
    note = _reason("Motif", required=False, help_text="Obligatoire pour un refus.")

    def __init__(self, *args: Any, user: User, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        field_of(self, "antenna", forms.ModelChoiceField).queryset = service_antennas(user)
        field_of(self, "referent", StaffChoiceField).queryset = service_cpips(user)
        field_of(self, "tribunal", forms.ModelChoiceField).queryset = Organisation.objects.filter(
            kind=OrganisationKind.TRIBUNAL, spip_id=user.spip_id, is_active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == HandoverAction.REFUSER and not data.get("note"):
            self.add_error("note", "Indiquez le motif du refus : le service d'origine le lira.")
        return data


class HandoverWithdrawForm(forms.Form):
    version = version_field()
    reason = _reason("Motif du retrait")

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
