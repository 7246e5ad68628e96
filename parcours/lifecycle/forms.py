from __future__ import annotations

from django import forms

ORIGINS = [
    ("demande_directe", "Demande de la personne (droit d'accès, loi n° 78-17, art. 105)"),
    ("demande_cnil", "Demande transmise par la CNIL (droit d'accès indirect, art. 108)"),
    ("autre", "Autre demande (préciser dans la référence)"),
]


class AccessRequestForm(forms.Form):
    origin = forms.ChoiceField(
        label="Origine de la demande", choices=ORIGINS, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label="Référence de la demande",
        max_length=300,
        help_text="Courrier reçu, date, numéro CNIL… Inscrite au journal avec la communication.",
    )

    def clean_reference(self) -> str:
        value = (self.cleaned_data.get("reference") or "").strip()
        if len(value) < 5:
            raise forms.ValidationError(
                "Indiquez la référence de la demande (au moins 5 caractères)."
            )
        return value

    @property
    def origin_label(self) -> str:
        return dict(ORIGINS).get(self.cleaned_data.get("origin", ""), "")
