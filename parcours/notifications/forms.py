from __future__ import annotations

from typing import Any

from django import forms

from parcours.core.form_fields import DATE_WIDGET
from parcours.rules.notifications import (
    SMS_MAX_CHARS,
    Channel,
    MessageRole,
    MessageState,
    gsm_length,
    template_problems,
)

from .models import NotificationSettings


class OutboxFilterForm(forms.Form):
    etat = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous"), *MessageState.choices]
    )
    objet = forms.ChoiceField(
        label="Objet", required=False, choices=[("", "Tous"), *MessageRole.choices]
    )
    canal = forms.ChoiceField(
        label="Canal", required=False, choices=[("", "Tous"), *Channel.choices]
    )
    du = forms.DateField(label="Envoi à partir du", required=False, widget=DATE_WIDGET)
    au = forms.DateField(label="Envoi jusqu'au", required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", "La date de fin précède la date de début.")
        return data


class ReminderSettingsForm(forms.ModelForm):
    reminder_hour = forms.IntegerField(
        label="Heure du rappel (heure locale du service)",
        min_value=7,
        max_value=20,
        help_text="Entre 7 h et 20 h.",
    )

    class Meta:
        model = NotificationSettings
        fields = ["reminder_days_before", "reminder_hour"]


class TemplateForm(forms.Form):
    subject = forms.CharField(label="Objet du courriel", max_length=200, required=False)
    body = forms.CharField(
        label="Texte du message",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Champs possibles entre accolades, par exemple {date}, {heure}, {lieu}.",
    )

    def __init__(self, *args: Any, channel: Channel, rendered: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel = channel
        # (subject, body) rendered with sample values, given by the view to check the length.
        self.rendered = rendered
        if channel is Channel.SMS:
            del self.fields["subject"]
        else:
            self.fields["subject"].required = True

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        problems = template_problems(body, self.channel)
        if problems:
            raise forms.ValidationError(problems)
        if self.channel is Channel.SMS and self.rendered is not None:
            length = gsm_length(self.rendered(body))
            if length is not None and length > SMS_MAX_CHARS:
                raise forms.ValidationError(
                    f"Le SMS ferait {length} caractères avec un exemple de rendez-vous : "
                    f"{SMS_MAX_CHARS} au plus. Raccourcissez le texte."
                )
        return body

    def clean_subject(self) -> str:
        subject = self.cleaned_data.get("subject", "").strip()
        problems = [p for p in template_problems(subject or "x", Channel.EMAIL) if "{" in p]
        if problems:
            raise forms.ValidationError(problems)
        return subject


# --- Inbound SMS ------------------------------------------------------------------------------


class InboundFilterForm(forms.Form):
    etat = forms.ChoiceField(
        label="Afficher",
        required=False,
        choices=[
            ("a_lire", "À lire"),
            ("a_rattacher", "À rattacher (numéro partagé)"),
            ("tous", "Tous"),
        ],
    )


class InboundActionForm(forms.Form):
    action = forms.ChoiceField(
        label="Action", choices=[("lu", "Marquer comme lu"), ("rattacher", "Rattacher")]
    )
    personne = forms.UUIDField(label="Personne", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "rattacher" and not data.get("personne"):
            self.add_error("personne", "Choisissez la personne à qui ce message appartient.")
        return data
