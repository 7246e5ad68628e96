from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from parcours.core.form_fields import (
    DoneOrDroppedForm,
    comment_field,
    date_field,
    text_field,
    version_field,
)
from parcours.rules.vocabulary import AgreementMode, AssessmentDomain, StepActor, StepStatus

# A due date further than this is a typing error (a plan is reviewed long before).
MAX_YEARS_AHEAD = 5


class VersionForm(forms.Form):
    """A confirmation (removal, countersignature): the version the page was read at."""

    version = version_field(required=True)


class GoalForm(forms.Form):
    version = version_field()
    domain = forms.ChoiceField(label="Domaine", choices=[("", "—"), *AssessmentDomain.choices])
    text = forms.CharField(
        label="Objectif",
        max_length=300,
        help_text="Formulé avec la personne, à partir de ses forces : ce qu'elle veut atteindre.",
    )


class StepForm(forms.Form):
    version = version_field()
    text = forms.CharField(label="Étape", max_length=300)
    actor = forms.ChoiceField(label="Qui agit", choices=StepActor.choices)
    partner = forms.TypedChoiceField(
        label="Partenaire", required=False, coerce=int, empty_value=None
    )
    partner_detail = forms.CharField(
        label="Précision (partenaire, interlocuteur)",
        required=False,
        max_length=200,
        help_text="Si le partenaire n'est pas dans la liste, ou pour nommer l'interlocuteur.",
    )
    due_on = date_field("Échéance", required=False)

    def __init__(self, *args: Any, partners: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *partners]

    def clean_due_on(self) -> Any:
        value = self.cleaned_data.get("due_on")
        today = timezone.localdate()
        if value and value > today + timedelta(days=365 * MAX_YEARS_AHEAD):
            raise forms.ValidationError("Cette échéance est trop lointaine : vérifiez l'année.")
        if value and value < today - timedelta(days=365):
            raise forms.ValidationError("Cette échéance est passée de plus d'un an.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("actor") == StepActor.PARTENAIRE and not (
            data.get("partner") or (data.get("partner_detail") or "").strip()
        ):
            self.add_error("partner", "Choisissez le partenaire ou précisez-le en quelques mots.")
        return data


class StepStatusForm(DoneOrDroppedForm):
    status = forms.ChoiceField(label="État", choices=StepStatus.choices)
    reason = text_field(
        "Motif de l'abandon", max_length=300, help_text="Obligatoire si l'étape est abandonnée."
    )
    dropped = StepStatus.ABANDONNE
    reason_needed = "Indiquez pourquoi l'étape est abandonnée."


class AgreementForm(forms.Form):
    version = version_field(required=True)
    agreed_on = date_field("Accord recueilli le")
    mode = forms.ChoiceField(
        label="Comment la personne a donné son accord",
        choices=AgreementMode.choices,
        widget=forms.RadioSelect,
    )
    person_words = comment_field(
        "Les mots de la personne",
        rows=3,
        help_text="Ce que la personne dit de son plan, de ses objectifs, avec ses propres mots.",
    )

    def clean_agreed_on(self) -> Any:
        value = self.cleaned_data["agreed_on"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError("La date de l'accord ne peut pas être dans le futur.")
        if value < today - timedelta(days=90):
            raise forms.ValidationError(
                "L'accord date de plus de trois mois : recueillez-le à nouveau."
            )
        return value


class ReturnForm(forms.Form):
    version = version_field(required=True)
    comment = comment_field("Ce qui est à revoir", required=True, max_length=500, rows=3)


class SettingsForm(forms.Form):
    countersignature_required = forms.BooleanField(
        label="Un plan entre en vigueur après la contresignature d'un DPIP",
        required=False,
        help_text="Sinon, il entre en vigueur dès que l'accord de la personne est enregistré.",
    )
