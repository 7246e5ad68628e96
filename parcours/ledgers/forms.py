from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from parcours.rules.ledgers import WorkSession, tig_hours_problem, work_sessions_problems

from .models import TigLedger, TigSession

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(value: Any, what: str) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(f"{what} ne peut pas être dans le futur.")
    if value.year < 1950:
        raise forms.ValidationError(f"{what} est invalide.")


class TigLedgerForm(forms.ModelForm):
    class Meta:
        model = TigLedger
        fields = ["hours_ordered", "offence", "enforceable_from", "host_structure"]
        widgets = {"enforceable_from": DATE_WIDGET}
        help_texts = {
            "hours_ordered": "De 20 à 400 heures pour un délit (CP art. 131-8), "
            "de 20 à 120 heures pour une contravention de 5e classe.",
            "enforceable_from": "Point de départ du délai d'exécution de 18 mois au plus "
            "(CP art. 131-22).",
            "host_structure": "Nom de la structure, sans autre information sur la personne.",
        }

    def clean_enforceable_from(self) -> Any:
        value = self.cleaned_data["enforceable_from"]
        _not_future(value, "La date à laquelle le TIG est exécutoire")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours, offence = data.get("hours_ordered"), data.get("offence")
        if hours is not None and offence:
            problem = tig_hours_problem(hours, offence)
            if problem:
                self.add_error("hours_ordered", problem)
        return data


class TigSessionForm(forms.ModelForm):
    class Meta:
        model = TigSession
        fields = ["day", "hours", "host_structure"]
        widgets = {"day": DATE_WIDGET}
        help_texts = {"hours": "Par demi-heures, par exemple 3,5."}

    def __init__(self, *args: Any, ledger: TigLedger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger = ledger
        self.fields["hours"].localize = True
        self.fields["hours"].widget.is_localized = True
        if not self.is_bound:
            self.initial.setdefault("host_structure", ledger.host_structure)

    def clean_day(self) -> Any:
        value = self.cleaned_data["day"]
        _not_future(value, "La date de la séance")
        if value < self.ledger.enforceable_from:
            raise forms.ValidationError(
                "La séance ne peut pas précéder la date à laquelle le TIG est exécutoire "
                f"({self.ledger.enforceable_from:%d/%m/%Y})."
            )
        return value

    def clean_hours(self) -> Any:
        value: Decimal = self.cleaned_data["hours"]
        if value * 2 != (value * 2).to_integral_value():
            raise forms.ValidationError("Les heures se comptent par demi-heures (ex. 3,5).")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, hours = data.get("day"), data.get("hours")
        if day is not None and hours is not None:
            same_day = [WorkSession(s.day, s.hours) for s in self.ledger.sessions.filter(day=day)]
            problems = work_sessions_problems([*same_day, WorkSession(day, hours)])
            for problem in problems:
                self.add_error("hours", problem)
        return data
