from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from parcours.core.form_fields import date_field, field_of
from parcours.measures.forms import MeasureChoiceField
from parcours.rules import assessments as rules
from parcours.rules.vocabulary import AssessmentKind, DigitalChannel, NeedLevel


class NewAssessmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type d'évaluation", choices=[("", "Choisir…"), *AssessmentKind.choices]
    )
    measure = MeasureChoiceField(
        empty_label="Aucune en particulier",
        help_text="L'évaluation initiale est à faire dans les "
        f"{rules.INITIAL_ASSESSMENT_DAYS} jours suivant le début de la mesure.",
    )
    due_on = date_field(
        "À faire pour le",
        required=False,
        help_text="Vide pour une évaluation initiale : calculée depuis le début de la mesure.",
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "measure", MeasureChoiceField).of(person)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


def read_fill_form(definition: rules.Questionnaire, data: QueryDict) -> dict[str, Any]:
    """The fill page's fields, named as `services.save_assessment` takes them: the `answers`
    (`q-<question id>`, a list for multiple choices), the `judgements` (`d-<domain>-<field>`,
    the views and judgements), the question ids `confirmed` (`confirmer`)."""
    answers: dict[str, Any] = {}
    for question in definition.questions.values():
        name = f"q-{question.id}"
        if question.type == rules.AnswerType.MULTIPLE:
            answers[question.id] = data.getlist(name)
        else:
            answers[question.id] = data.get(name, "")
    judgements = {
        domain.code: {
            name: data.get(f"d-{domain.code}-{name}", "") for name in rules.JUDGEMENT_FIELDS
        }
        for domain in definition.domains
    }
    return {"answers": answers, "judgements": judgements, "confirmed": data.getlist("confirmer")}


NEED_CHOICES = [("", "Non renseigné"), *NeedLevel.choices]


def question_field(question: rules.Question, **kwargs: Any) -> forms.ChoiceField:
    """One question of a questionnaire, as a group of radio buttons."""
    return forms.ChoiceField(
        label=question.label,
        help_text=question.help,
        choices=question.choices,
        widget=forms.RadioSelect,
        **kwargs,
    )


class DigitalForm(forms.Form):
    """The paper form transcribed: one radio group per question of the digital questionnaire."""

    filled_on = date_field("Rempli le")
    channel = forms.ChoiceField(
        label="Canal", choices=DigitalChannel.choices, initial=DigitalChannel.PAPIER
    )

    def __init__(self, *args: Any, definition: rules.Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for question in definition.questions.values():
            self.fields[f"q-{question.id}"] = question_field(question, required=False)

    def answers(self) -> dict[str, str]:
        return {qid: self.cleaned_data.get(f"q-{qid}", "") for qid in self.definition.questions}
