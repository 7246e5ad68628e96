from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.catalog.models import MeasureType
from parcours.rules.measures import dates_problem, probation_period_problem

from .models import Measure

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recidive = forms.ChoiceField(
        label="Récidive légale",
        required=False,
        choices=[("", "Non"), ("simple", "Récidive"), ("reiteree", "Nouvelle récidive")],
        help_text="Allonge le délai d'épreuve maximal (CP art. 132-42).",
    )

    class Meta:
        model = Measure
        fields = [
            "measure_type",
            "tribunal",
            "judgment_date",
            "start_date",
            "end_date",
            "release_date",
            "file_received_on",
            "probation_months",
            "milieu",
            "status",
        ]
        widgets = {
            "judgment_date": DATE_WIDGET,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "release_date": DATE_WIDGET,
            "file_received_on": DATE_WIDGET,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = MeasureType.objects.current()
        if self.instance.pk:
            current = current | MeasureType.objects.filter(pk=self.instance.measure_type_id)
            self.fields["version"].initial = self.instance.version
        self.fields["measure_type"].queryset = current  # type: ignore[attr-defined]
        self.fields["measure_type"].empty_label = "Choisir…"  # type: ignore[attr-defined]
        self.fields["tribunal"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.TRIBUNAL, is_active=True
        )

    def clean_judgment_date(self) -> Any:
        value = self.cleaned_data["judgment_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date du jugement ne peut pas être dans le futur.")
        if value.year < 1950:
            raise forms.ValidationError("La date du jugement est invalide.")
        return value

    def _past_date(self, name: str, what: str) -> Any:
        value = self.cleaned_data.get(name)
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(f"La date {what} ne peut pas être dans le futur.")
        return value

    def clean_release_date(self) -> Any:
        return self._past_date("release_date", "de libération")

    def clean_file_received_on(self) -> Any:
        return self._past_date("file_received_on", "de réception du dossier")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = dates_problem(
            data.get("judgment_date"), data.get("start_date"), data.get("end_date")
        )
        if problem:
            self.add_error("end_date" if "fin" in problem else "start_date", problem)
        measure_type: MeasureType | None = data.get("measure_type")
        if measure_type is not None:
            problem = probation_period_problem(
                data.get("probation_months"),
                has_period=measure_type.has_probation_period,
                minimum=measure_type.min_probation_months,
                maximum=measure_type.max_probation_months,
                recidive=data.get("recidive") or None,
            )
            if problem:
                self.add_error("probation_months", problem)
        return data
