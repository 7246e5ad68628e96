from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from parcours.audit.models import AuditAction

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


class AuditFilterForm(forms.Form):
    utilisateur = forms.CharField(label="Identifiant de l'agent", required=False, max_length=150)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes"), *AuditAction.choices]
    )
    objet = forms.CharField(label="Objet (nom ou identifiant)", required=False, max_length=100)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, technical: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if technical:
            # An administrator searches by identifier only, never by a person's name.
            self.fields["objet"].label = "Identifiant de l'objet"

    def _in_range(self, name: str) -> date | None:
        # Year 1 or 9999 overflow once shifted to UTC or extended by a day: refuse them here.
        value: date | None = self.cleaned_data.get(name)
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                f"Saisissez une date comprise entre {FIRST_DAY.year} et {LAST_DAY.year}."
            )
        return value

    def clean_du(self) -> date | None:
        return self._in_range("du")

    def clean_au(self) -> date | None:
        return self._in_range("au")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", "La date de fin doit suivre la date de début.")
        return data
