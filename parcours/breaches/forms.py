from __future__ import annotations

from typing import Any

from django import forms

from parcours.core.form_fields import (
    DATE_WIDGET,
    check_not_future,
    check_text_given,
    date_field,
    field_of,
    text_field,
    version_field,
)
from parcours.measures.forms import past_date
from parcours.people.models import Person

from .models import Breach, BreachKind, FollowUpStatus, NextStep
from .selectors import current_measures, obligations_of


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = ["measure", "obligation", "kind", "occurred_on", "facts", "evidence", "serious"]
        widgets = {
            "occurred_on": DATE_WIDGET,
            "facts": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "facts": "Décrivez les faits de manière factuelle (date, lieu, circonstances).",
            "serious": "Un manquement grave conduit à proposer un rapport d'incident au JAP.",
        }

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = [("", "Choisir…"), *BreachKind.choices]
        measures = current_measures(person)
        measure = field_of(self, "measure", forms.ModelChoiceField)
        measure.queryset, measure.empty_label = measures, "Choisir…"
        obligation = field_of(self, "obligation", forms.ModelChoiceField)
        obligation.queryset, obligation.empty_label = (
            obligations_of(measures),
            "Aucune en particulier",
        )

    def clean_occurred_on(self) -> Any:
        return past_date(self.cleaned_data["occurred_on"], "La date du manquement")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        measure, obligation = data.get("measure"), data.get("obligation")
        if measure and obligation and obligation.measure_id != measure.pk:
            self.add_error("obligation", "Cette obligation ne relève pas de la mesure choisie.")
        return data


class FollowUpForm(forms.Form):
    version = version_field(required=True)
    chosen_step = forms.ChoiceField(label="Suite retenue", choices=NextStep.choices)
    followup_status = forms.ChoiceField(label="État", choices=FollowUpStatus.choices)
    followup_done_on = date_field("Réalisée le", required=False)
    followup_note = text_field(
        "Commentaire", max_length=500, help_text="Obligatoire pour écarter la suite proposée."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        done_on = data.get("followup_done_on")
        check_not_future(self, data, "followup_done_on")
        if data.get("followup_status") == FollowUpStatus.FAIT and not done_on:
            self.add_error("followup_done_on", "Indiquez la date à laquelle la suite a été donnée.")
        dismissed = data.get("followup_status") == FollowUpStatus.ECARTE
        check_text_given(
            self,
            data,
            "followup_note",
            dismissed,
            "Motivez la décision d'écarter la suite proposée.",
        )
        return data
