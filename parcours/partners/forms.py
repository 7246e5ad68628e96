"""Forms of the partners app (French labels and messages)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from parcours.core.form_fields import (
    DATE_WIDGET,
    check_period,
    comment_field,
    date_field,
    field_of,
    version_field,
)
from parcours.measures.forms import MeasureChoiceField, past_date
from parcours.obligations.models import Obligation
from parcours.obligations.uploads import CheckedFile, check_upload, max_bytes
from parcours.rules import referrals as rules
from parcours.rules.vocabulary import ConsentMeans, PartnerKind, ReferralStatus

from .models import PROFILE_FIELDS, Agreement, PartnerProfile


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), *PartnerKind.choices]
    )
    area = forms.CharField(label="Département", required=False, max_length=3)
    accepts = forms.ChoiceField(
        label="Accepte les orientations",
        required=False,
        choices=[("", "Toutes"), *rules.KIND_CHOICES],
    )


class ProfileForm(forms.ModelForm):
    version = version_field()
    accepted_kinds = forms.MultipleChoiceField(
        label="Orientations acceptées",
        choices=rules.KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PartnerProfile
        fields = PROFILE_FIELDS
        widgets = {"services": forms.Textarea(attrs={"rows": 3})}

    def clean_areas(self) -> str:
        parts = [p.strip().upper() for p in self.cleaned_data["areas"].split(",") if p.strip()]
        bad = [p for p in parts if not (p.isdigit() and len(p) in (2, 3)) and p not in ("2A", "2B")]
        if not parts or bad:
            raise forms.ValidationError(
                "Indiquez des numéros de département séparés par des virgules (ex. « 59, 62 »)."
            )
        return ", ".join(parts)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "starts_on", "ends_on", "document_reference"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(
            self, data, "starts_on", "ends_on", "La fin de la convention précède son début."
        )
        return data


class ReferralForm(forms.Form):
    """A new referral from the person file: the kind, then a partner of the directory that
    accepts it (filtered by kind and département), the obligation it serves, the text."""

    kind = forms.ChoiceField(label="Type d'orientation", choices=rules.KIND_CHOICES)
    partner = forms.ModelChoiceField(
        label="Partenaire", queryset=PartnerProfile.objects.none(), empty_label="Choisir…"
    )
    obligation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Obligation servie (facultatif)",
        queryset=Obligation.objects.none(),
        required=False,
        empty_label="Aucune",
    )
    # Named by type and judgment date, as on the other forms about a person's file.
    measure = MeasureChoiceField(empty_label="—")
    reason = comment_field(
        "Message pour le partenaire",
        required=True,
        rows=4,
        help_text="Le partenaire le lira : l'objet de l'orientation, sans détail de l'infraction.",
    )
    consent_given_on = date_field("Accord de la personne recueilli le", required=False)
    consent_means = forms.ChoiceField(
        label="Forme de l'accord", required=False, choices=[("", "—"), *ConsentMeans.choices]
    )

    def __init__(self, *args: Any, profiles: Any, obligations: Any, measures: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        partner = cast(forms.ModelChoiceField, self.fields["partner"])
        partner.queryset = profiles
        partner.label_from_instance = lambda p: (  # type: ignore[method-assign,assignment]
            f"{p.organisation.name} ({p.get_partner_kind_display()}, {p.areas})"
        )
        cast(forms.ModelChoiceField, self.fields["obligation"]).queryset = obligations
        measure = field_of(self, "measure", MeasureChoiceField)
        measure.label = "Mesure (obligatoire pour un TIG)"
        measure.queryset = measures

    def clean_consent_given_on(self) -> Any:
        return past_date(self.cleaned_data.get("consent_given_on"), "La date de l'accord")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        profile = data.get("partner")
        kind = data.get("kind")
        if profile is not None and kind and kind not in profile.accepted_kinds:
            self.add_error("partner", "Ce partenaire n'accepte pas ce type d'orientation.")
        if bool(data.get("consent_given_on")) != bool(data.get("consent_means")):
            self.add_error("consent_means", "Indiquez à la fois la date et la forme de l'accord.")
        return data


class ActionForm(forms.Form):
    """A transition of the status machine, with its reason when the action needs one (one
    French message: missing, or too long; rules.referrals.reason_problem)."""

    version = version_field(required=True)
    action = forms.ChoiceField(choices=rules.Action.choices, widget=forms.HiddenInput)
    # Its length is checked with the action (rules.referrals.reason_problem), to name the motif
    # or the bilan in the one message.
    reason = forms.CharField(
        label="Motif ou bilan", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # "Envoyer" on a draft still without the person's consent the kind requires: the consent is
    # given with the sending (the draft needs not be typed again).
    consent_given_on = date_field("Accord de la personne recueilli le", required=False)
    consent_means = forms.ChoiceField(
        label="Forme de l'accord", required=False, choices=[("", "—"), *ConsentMeans.choices]
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def clean_consent_given_on(self) -> Any:
        return past_date(self.cleaned_data.get("consent_given_on"), "La date de l'accord")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action and action not in self.allowed:
            self.add_error(None, "Cette action n'est pas possible sur cette orientation.")
        elif action and "reason" not in self.errors:
            problem = rules.reason_problem(action, data.get("reason", ""))
            if problem:
                self.add_error("reason", problem)
        if bool(data.get("consent_given_on")) != bool(data.get("consent_means")):
            self.add_error(None, "Indiquez à la fois la date et la forme de l'accord.")
        return data


class SessionForm(forms.Form):
    """A session with the partner (new or corrected); TIG hours with a French decimal comma."""

    day = date_field("Date de la séance")
    attended = forms.TypedChoiceField(
        label="Présence",
        choices=[("oui", "Présent"), ("non", "Absent")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
    )
    note = comment_field("Observation pour le SPIP (facultatif)", max_length=500)
    hours = forms.DecimalField(
        label="Heures de TIG effectuées",
        help_text="Par exemple « 3,5 » pour trois heures et demie.",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        max_digits=4,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Indiquez un nombre d'heures, par exemple « 3,5 ».",
            "min_value": "Indiquez au moins 0,5 heure.",
            "max_value": "Indiquez au plus 24 heures pour une séance.",
            "max_digits": "Indiquez au plus 24 heures pour une séance.",
            "max_decimal_places": (
                "Indiquez les heures avec une décimale au plus, par exemple « 3,5 »."
            ),
            "max_whole_digits": "Indiquez au plus 24 heures pour une séance.",
        },
    )

    def __init__(self, *args: Any, tig: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        if not tig:
            del self.fields["hours"]

    def clean_day(self) -> Any:
        return past_date(self.cleaned_data.get("day"), "La date de la séance")


class AttestationForm(forms.Form):
    received_on = date_field("Date de l'attestation")
    file = forms.FileField(label="Attestation")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        limit = max(max_bytes() // (1024 * 1024), 1)
        self.fields["file"].help_text = f"PDF, JPEG ou PNG, {limit} Mo au plus."
        self.checked: CheckedFile | None = None

    def clean_received_on(self) -> Any:
        return past_date(self.cleaned_data.get("received_on"), "La date de l'attestation")

    def clean_file(self) -> Any:
        upload: UploadedFile = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload


class PartnerListFilter(forms.Form):
    status = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous")]
        + [(s, s.label) for s in ReferralStatus if s in rules.PARTNER_VISIBLE],
    )
