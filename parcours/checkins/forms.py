from __future__ import annotations

from typing import Any

from django import forms

from parcours.core.form_fields import check_period, date_field
from parcours.rules.checkins import rhythm_problem
from parcours.rules.vocabulary import CheckinReview, CheckinRhythm

from .models import CheckinPlan

WEEKDAYS = CheckinPlan._meta.get_field("weekday").choices or []


class PlanForm(forms.Form):
    measure = forms.TypedChoiceField(label="Mesure", coerce=int)
    rhythm = forms.ChoiceField(label="Rythme", choices=CheckinRhythm.choices)
    every_days = forms.IntegerField(label="Tous les (jours)", required=False, min_value=1)
    weekday = forms.TypedChoiceField(
        label="Jour de la semaine",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *WEEKDAYS],
    )
    start_date = date_field("À partir du")
    end_date = date_field("Jusqu'au (facultatif)", required=False)
    active = forms.BooleanField(label="Actif", required=False, initial=True)

    def __init__(self, *args: Any, measures: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = measures

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = rhythm_problem(
            data.get("rhythm", ""), data.get("every_days"), data.get("weekday")
        )
        if problem and "rhythm" in data:
            self.add_error("every_days" if data["rhythm"] == "jours" else "weekday", problem)
        check_period(
            self, data, "start_date", "end_date", "La date de fin précède la date de début."
        )
        return data


class ReviewForm(forms.Form):
    review = forms.ChoiceField(
        label="Revue",
        choices=[(CheckinReview.VU, "Vu"), (CheckinReview.SUITE, "Suite à donner")],
    )
    comment = forms.CharField(label="Commentaire", required=False, max_length=1000)
    # The review as the page showed it ("" when none): a review saved since then is not
    # overwritten (checkins.services.review_checkin answers a conflict).
    lu = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
