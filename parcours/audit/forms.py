from __future__ import annotations

from typing import Any

from django import forms

from .models import AuditAction


class AuditFilterForm(forms.Form):
    utilisateur = forms.CharField(label="Identifiant de l'agent", required=False, max_length=150)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes"), *AuditAction.choices]
    )
    objet = forms.CharField(label="Objet (nom ou identifiant)", required=False, max_length=100)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", "La date de fin doit suivre la date de début.")
        return data
