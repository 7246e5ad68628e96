from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from parcours.core.form_fields import date_field, version_field
from parcours.rules.release import ItemStatus, Owner

# An expected release date further than this is a typing error.
MAX_YEARS_AHEAD = 40


def _expected_date(value: Any) -> Any:
    today = timezone.localdate()
    if value < today - timedelta(days=31):
        raise forms.ValidationError(
            "La date de libération prévisionnelle ne peut pas être passée de plus d'un mois."
        )
    if value > today + timedelta(days=365 * MAX_YEARS_AHEAD):
        raise forms.ValidationError("Cette date est trop lointaine : vérifiez l'année.")
    return value


class PrepareForm(forms.Form):
    expected_on = date_field(
        "Date de libération prévisionnelle",
        required=False,
        help_text="Laissez vide pour retenir la date calculée de la situation pénale ; "
        "indiquez-la si un aménagement a été accordé.",
    )

    def clean_expected_on(self) -> Any:
        value = self.cleaned_data.get("expected_on")
        return _expected_date(value) if value else None


class ExpectedDateForm(forms.Form):
    version = version_field(required=True)
    expected_on = date_field("Date de libération prévisionnelle")

    def clean_expected_on(self) -> Any:
        return _expected_date(self.cleaned_data["expected_on"])


class ItemForm(forms.Form):
    version = version_field(required=True)
    status = forms.ChoiceField(label="État", choices=ItemStatus.choices)
    done_on = date_field("Fait le", required=False, help_text="Par défaut, aujourd'hui.")
    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=300,
        help_text="Obligatoire si la démarche est sans objet.",
    )
    owner = forms.ChoiceField(label="Qui s'en charge", choices=Owner.choices)
    owner_detail = forms.CharField(
        label="Précision (partenaire, interlocuteur)", required=False, max_length=120
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        done_on = data.get("done_on")
        if done_on and done_on > timezone.localdate():
            self.add_error("done_on", "La date ne peut pas être dans le futur.")
        if data.get("status") == ItemStatus.SANS_OBJET and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez pourquoi cette démarche est sans objet.")
        return data


class PeriodForm(forms.Form):
    start = date_field("Du")
    end = date_field("Au")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "La fin de la période doit suivre son début.")
            elif (end - start).days > 366 * 3:
                self.add_error("end", "Choisissez une période de trois ans au plus.")
        return data
