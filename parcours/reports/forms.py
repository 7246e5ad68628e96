from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from parcours.core.form_fields import comment_field, date_field, field_of
from parcours.measures.forms import MeasureChoiceField
from parcours.rules import reports as rules
from parcours.rules.dates import local_date

from .models import ReportKind


class NewReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type de rapport", choices=[("", "Choisir…"), *ReportKind.choices]
    )
    measure = MeasureChoiceField(
        empty_label="Aucune (toutes les mesures en cours)",
        help_text="Nécessaire pour transmettre le rapport au juge de cette mesure.",
        tribunal=True,
    )
    due_date = date_field(
        "À rendre le", required=False, help_text="Entre aujourd'hui et dans un an au plus."
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "measure", MeasureChoiceField).of(person)
        # "Today" is the SPIP's (R-DATES-LOCAL).
        self.today = local_date(timezone.now(), person.spip.timezone)

    def clean_due_date(self) -> date | None:
        due: date | None = self.cleaned_data.get("due_date")
        problem = rules.due_date_problem(due, self.today) if due is not None else None
        if problem:
            raise forms.ValidationError(problem)
        return due


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        label="Action", choices=[(a, rules.ACTION_LABELS[a]) for a in rules.ACTIONS[1:]]
    )
    comment = comment_field("Commentaire", max_length=4000, rows=3)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The comment's name in the errors is the one its form shows for the action posted.
        action = self.data.get("action", "") if self.is_bound else ""
        self.fields["comment"].label = rules.COMMENT_LABELS.get(action, "Commentaire")


class ContentForm(forms.Form):
    """The non-script editor: one textarea per section, plus the version the page started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, sections: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"section-{section['key']}"] = forms.CharField(
                label=section["heading"],
                required=False,
                max_length=rules.MAX_SECTION_CHARS,
                strip=False,
                help_text=section.get("hint", ""),
                widget=forms.Textarea(attrs={"rows": 8, "data-section": section["key"]}),
            )

    def content(self) -> dict[str, str]:
        return {s["key"]: self.cleaned_data.get(f"section-{s['key']}", "") for s in self.sections}
