from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from parcours.core.form_fields import (
    DoneOrDroppedForm,
    date_field,
    text_field,
    version_field,
)
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


class ItemForm(DoneOrDroppedForm):
    status = forms.ChoiceField(label="État", choices=ItemStatus.choices)
    reason = text_field(
        "Motif", max_length=300, help_text="Obligatoire si la démarche est sans objet."
    )
    owner = forms.ChoiceField(label="Qui s'en charge", choices=Owner.choices)
    owner_detail = text_field("Précision (partenaire, interlocuteur)", max_length=120)
    dropped = ItemStatus.SANS_OBJET
    reason_needed = "Indiquez pourquoi cette démarche est sans objet."


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
