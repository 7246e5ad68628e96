from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from parcours.core.form_fields import DATE_WIDGET, comment_field, field_of, version_field
from parcours.measures.forms import past_date
from parcours.measures.models import Measure

from . import parameters
from .models import Obligation, ObligationType, Proof, ProofKind, ProofStatus
from .selectors import obligation_dates_error
from .uploads import CheckedFile, check_upload, max_bytes


class TypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.article} — {obj.label}"


class ObligationTypePickForm(forms.Form):
    """Step one (GET): which obligation of the catalogue."""

    type = TypeChoiceField(
        label="Obligation ou interdiction",
        queryset=ObligationType.objects.current(),
        to_field_name="code",
        empty_label="Choisir…",
    )


class ObligationForm(forms.ModelForm):
    version = version_field()
    obligation_type = TypeChoiceField(
        label="Obligation ou interdiction",
        queryset=ObligationType.objects.current(),
        to_field_name="code",
        empty_label="Choisir…",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Obligation
        fields = [
            "obligation_type",
            "start_date",
            "end_date",
            "imposed_by",
            "imposed_on",
            "proof_type",
            "cadence_months",
        ]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET, "imposed_on": DATE_WIDGET}

    def __init__(
        self,
        *args: Any,
        obligation_type: ObligationType | None = None,
        measure: Measure | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure or (self.instance.measure if self.instance.pk else None)
        self.fields["cadence_months"].widget.attrs.update({"min": 0, "max": 24})
        if self.instance.pk:
            obligation_type = self.instance.obligation_type
            self.fields["version"].initial = self.instance.version
            # The type is fixed once imposed: changing it means another obligation.
            del self.fields["obligation_type"]
        elif obligation_type is not None:
            self.fields["obligation_type"].initial = obligation_type.code
            self.fields["proof_type"].initial = obligation_type.default_proof_type
            self.fields["cadence_months"].initial = obligation_type.default_cadence_months
        self.chosen_type = obligation_type
        self.definitions = obligation_type.parameter_definitions if obligation_type else []
        stored = self.instance.parameters or {}
        for definition in self.definitions:
            name = parameters.FIELD_PREFIX + definition["name"]
            self.fields[name] = parameters.form_field(definition)
            self.fields[name].initial = parameters.from_json(
                definition, stored.get(definition["name"])
            )

    def parameter_fields(self) -> list[forms.BoundField]:
        return [self[parameters.FIELD_PREFIX + d["name"]] for d in self.definitions]

    def other_fields(self) -> list[forms.BoundField]:
        names = {parameters.FIELD_PREFIX + d["name"] for d in self.definitions}
        return [f for f in self.visible_fields() if f.name not in names]

    def clean_imposed_on(self) -> Any:
        return past_date(self.cleaned_data.get("imposed_on"), "La date de la décision")

    def clean_cadence_months(self) -> Any:
        value = self.cleaned_data.get("cadence_months")
        if value is not None and value > 24:
            raise forms.ValidationError("La périodicité ne peut pas dépasser 24 mois.")
        return value or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La date de fin ne peut pas précéder la date de début.")
        if start and start.year < 1950:
            self.add_error("start_date", "La date de début est invalide.")
        if start and self.measure is not None and not self.has_error("end_date"):
            # Within the measure's dates (R-OBLIGATION-DATES); the service checks it again.
            problem = obligation_dates_error(self.measure, start, end)
            if problem:
                self.add_error("start_date" if "commencer" in problem else "end_date", problem)
        chosen = data.get("obligation_type") or self.chosen_type
        if chosen and self.chosen_type and chosen != self.chosen_type:
            raise forms.ValidationError("L'obligation choisie a changé : recommencez la saisie.")
        values = {}
        for definition in self.definitions:
            field_name = parameters.FIELD_PREFIX + definition["name"]
            if field_name in data:
                value = parameters.to_json(definition, data[field_name])
                if value is not None:
                    values[definition["name"]] = value
        params_failed = any(
            self.has_error(parameters.FIELD_PREFIX + d["name"]) for d in self.definitions
        )
        if not params_failed:
            for message in parameters.validate(self.definitions, values).values():
                self.add_error(None, message)
        self.instance.parameters = values
        return data


class ProofForm(forms.ModelForm):
    file = forms.FileField(
        label="Fichier",
        required=False,
        help_text="PDF, JPEG ou PNG, 10 Mo au plus.",
        error_messages={"empty": "Le fichier est vide."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    class Meta:
        model = Proof
        fields = ["kind", "received_on", "covers_from", "covers_to"]
        widgets = {
            "kind": forms.RadioSelect,
            "received_on": DATE_WIDGET,
            "covers_from": DATE_WIDGET,
            "covers_to": DATE_WIDGET,
        }

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A radio list without the empty "---------" choice; an upload is the usual case.
        field_of(self, "kind", forms.ChoiceField).choices = ProofKind.choices
        self.fields["kind"].initial = ProofKind.FICHIER
        # Usually received the day it is entered: today in the SPIP's zone (given by the view).
        self.fields["received_on"].initial = today or timezone.localdate()
        limit = max_bytes() // (1024 * 1024)
        self.fields["file"].help_text = f"PDF, JPEG ou PNG, {max(limit, 1)} Mo au plus."
        self.checked: CheckedFile | None = None

    def clean_received_on(self) -> Any:
        return past_date(self.cleaned_data.get("received_on"), "La date de réception")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("covers_from"), data.get("covers_to")
        if start and end and end < start:
            self.add_error("covers_to", "La fin de la période couverte précède son début.")
        kind = data.get("kind")
        upload: UploadedFile | None = data.get("file")
        if kind == ProofKind.FICHIER:
            if upload is None:
                self.add_error("file", "Joignez le fichier du justificatif.")
            else:
                try:
                    self.checked = check_upload(upload)
                except forms.ValidationError as error:
                    self.add_error("file", error)
        elif kind == ProofKind.PAPIER and upload is not None:
            self.add_error(
                "file", "Un justificatif vu sur papier ne comporte pas de fichier : retirez-le."
            )
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(ProofStatus.ACCEPTE, "Accepter"), (ProofStatus.REFUSE, "Refuser")],
        widget=forms.RadioSelect,
    )
    reason = comment_field(
        "Motif du refus", max_length=500, help_text="Obligatoire en cas de refus."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == ProofStatus.REFUSE and not data.get("reason", "").strip():
            self.add_error("reason", "Indiquez le motif du refus.")
        return data
