"""Forms of the person's space (simple French) and of the CPIP's panel actions."""

from __future__ import annotations

from typing import Any

from django import forms

from parcours.assessments.forms import question_field
from parcours.core.form_fields import check_text_given, comment_field, text_field
from parcours.obligations.uploads import CheckedFile, check_upload
from parcours.rules.vocabulary import ReplyAnswer

from .services import normalise_identifier


class SignInForm(forms.Form):
    identifier = forms.CharField(
        label="Votre numéro de téléphone portable ou votre adresse électronique",
        help_text="Celui ou celle que vous avez donné au SPIP. Exemple : 06 12 34 56 78",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    birth_date = forms.DateField(
        label="Votre date de naissance",
        help_text="Exemple : 14/07/1990",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )

    def clean_identifier(self) -> str:
        raw = self.cleaned_data["identifier"]
        normalise_identifier(raw)
        return str(raw)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Le code à 6 chiffres",
        help_text="Vous l'avez reçu par SMS ou par courriel.",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Le code contient 6 chiffres."},
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(choices=ReplyAnswer.choices)
    reason = text_field("Pourquoi ne pouvez-vous pas venir ?", max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        prevented = data.get("answer") == ReplyAnswer.EMPECHE
        check_text_given(
            self, data, "reason", prevented, "Dites pourquoi vous ne pouvez pas venir."
        )
        return data


class ProofUploadForm(forms.Form):
    file = forms.FileField(
        label="Votre justificatif (photo ou PDF)",
        help_text="Prenez une photo nette de tout le document, ou choisissez un fichier PDF.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
        error_messages={"required": "Ce champ est obligatoire : choisissez une photo ou un PDF."},
    )

    def clean_file(self) -> CheckedFile:
        return check_upload(self.cleaned_data["file"])


class SpaceSwitchForm(forms.Form):
    action = forms.ChoiceField(
        label="Espace personnel",
        choices=[("activer", "Activer l'espace personnel"), ("desactiver", "Désactiver")],
        widget=forms.RadioSelect,
    )


class NoticeForm(forms.Form):
    text = comment_field(
        "Message pour la personne",
        required=True,
        rows=4,
        help_text="La personne le lira dans son espace. Elle ne peut pas y répondre. "
        "Écrivez simplement ; n'y mettez rien de confidentiel.",
    )


# --- Remote check-ins and the digital self-assessment (issue 18, items 2 and 4) -----------------

YES_NO = [("oui", "Oui"), ("non", "Non")]


class CheckinAnswerForm(forms.Form):
    """A due remote check-in, in simple French; the proof is optional (same checks as above)."""

    situation_changed = forms.ChoiceField(
        label="Votre situation a-t-elle changé depuis la dernière fois ?",
        help_text="Par exemple : un déménagement, un nouveau travail, une formation, "
        "un problème de santé.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Répondez oui ou non."},
    )
    address = forms.CharField(
        label="Votre nouvelle adresse (si vous avez déménagé)",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    work = forms.CharField(
        label="Votre travail ou votre formation (si cela a changé)",
        required=False,
        max_length=300,
    )
    message = comment_field(
        "Votre message pour votre conseiller ou votre conseillère",
        rows=4,
        help_text="Si votre situation a changé, dites ce qui a changé.",
    )
    file = forms.FileField(
        label="Un justificatif (facultatif) : photo ou PDF",
        help_text="Par exemple : une fiche de paie, une attestation. 10 Mo au plus.",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )

    def clean_file(self) -> Any:
        sent = self.cleaned_data.get("file")
        if sent:
            check_upload(sent)  # French ValidationError; submit_checkin checks again and stores
        return sent

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("situation_changed") == "oui" and not any(
            (data.get(k) or "").strip() for k in ("address", "work", "message")
        ):
            self.add_error("message", "Dites ce qui a changé.")
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "situation_changed": data["situation_changed"] == "oui",
            "address": data["address"],
            "work": data["work"],
            "message": data["message"],
        }


class DigitalSelfForm(forms.Form):
    """The digital-skills questionnaire, one radio group per question of its definition."""

    def __init__(self, *args: Any, definition: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for question in definition.questions.values():
            self.fields[f"q-{question.id}"] = question_field(
                question,
                error_messages={
                    "required": "Choisissez une réponse.",
                    "invalid_choice": "Choisissez une des réponses proposées.",
                },
            )

    def answers(self) -> dict[str, str]:
        return {qid: self.cleaned_data[f"q-{qid}"] for qid in self.definition.questions}
