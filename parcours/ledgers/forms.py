from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from django import forms

from parcours.core.form_fields import DATE_WIDGET, date_field, version_field
from parcours.measures.forms import past_date
from parcours.rules.ledgers import (
    MAX_INSTALLMENTS,
    Installment,
    Payment,
    WorkSession,
    compensation_problems,
    monthly_schedule,
    tig_hours_problem,
    work_sessions_problems,
)

from .models import CompensationLedger, CompensationPayment, TigLedger, TigSession


def _localize(field: forms.Field) -> None:
    """A decimal typed the French way (3,5): the field reads and shows it localised."""
    field.localize = True
    field.widget.is_localized = True


def _schedule_and_payments(ledger: CompensationLedger) -> tuple[list[Installment], list[Payment]]:
    """The ledger's installments and payments, as the rules of `compensation_problems` read them."""
    schedule = [Installment(i.due, i.amount) for i in ledger.installments.all()]
    payments = [Payment(p.paid_on, p.amount) for p in ledger.payments.all()]
    return schedule, payments


LedgerT = TypeVar("LedgerT", TigLedger, CompensationLedger)


class _LocalisedForm(forms.ModelForm):
    """Its `localised` decimal fields are typed the French way (`_localize`)."""

    localised: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.localised:
            _localize(self.fields[name])


class _LedgerEntryForm(_LocalisedForm, Generic[LedgerT]):
    """An entry of a ledger (a TIG session, a payment), checked against its `ledger`."""

    def __init__(self, *args: Any, ledger: LedgerT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger: LedgerT = ledger


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
        return past_date(
            self.cleaned_data["enforceable_from"], "La date à laquelle le TIG est exécutoire"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours, offence = data.get("hours_ordered"), data.get("offence")
        if hours is not None and offence:
            problem = tig_hours_problem(hours, offence)
            if problem:
                self.add_error("hours_ordered", problem)
        return data


class TigSessionForm(_LedgerEntryForm[TigLedger]):
    localised = ("hours",)

    class Meta:
        model = TigSession
        fields = ["day", "hours", "host_structure"]
        widgets = {"day": DATE_WIDGET}
        help_texts = {"hours": "Par demi-heures, par exemple 3,5."}

    def __init__(self, *args: Any, ledger: TigLedger, **kwargs: Any) -> None:
        super().__init__(*args, ledger=ledger, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("host_structure", ledger.host_structure)

    def clean_day(self) -> Any:
        value = past_date(self.cleaned_data["day"], "La date de la séance")
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


class TigLedgerEditForm(TigLedgerForm):
    """Correcting a ledger (e.g. the hours after an appeal), with optimistic locking."""

    version = version_field(required=True)

    class Meta(TigLedgerForm.Meta):
        pass

    def clean_enforceable_from(self) -> Any:
        value = super().clean_enforceable_from()
        first = self.instance.sessions.order_by("day").values_list("day", flat=True).first()
        if first is not None and value > first:
            raise forms.ValidationError(
                f"Une séance est déjà enregistrée le {first:%d/%m/%Y}, avant cette date."
            )
        return value


class _CompensationLedgerFields(_LocalisedForm):
    """What the court decided: beneficiary, amount (French decimals), date."""

    localised = ("amount_ordered",)

    class Meta:
        model = CompensationLedger
        fields = ["beneficiary", "amount_ordered", "decided_on"]
        widgets = {"decided_on": DATE_WIDGET}

    def clean_decided_on(self) -> Any:
        return past_date(self.cleaned_data["decided_on"], "La date de la décision")


class CompensationLedgerForm(_CompensationLedgerFields):
    """The amount ordered and its monthly schedule (generated, equal installments)."""

    first_due = date_field(
        "Première échéance",
        help_text="Les échéances suivantes tombent le même jour des mois suivants.",
    )
    installments = forms.IntegerField(
        label="Nombre d'échéances mensuelles", min_value=1, max_value=MAX_INSTALLMENTS, initial=12
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schedule: list[Installment] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, first, count = (
            data.get("amount_ordered"),
            data.get("first_due"),
            data.get("installments"),
        )
        if amount is not None:
            problems = compensation_problems(amount, [], [])
            if problems:
                self.add_error("amount_ordered", problems[0])
                return data
        decided = data.get("decided_on")
        if first is not None and decided is not None and first < decided:
            self.add_error("first_due", "La première échéance précède la décision.")
            return data
        if amount is not None and first is not None and count is not None:
            try:
                self.schedule = monthly_schedule(amount, first, count)
            except ValueError as error:
                self.add_error("installments", str(error))
        return data


class CompensationLedgerEditForm(_CompensationLedgerFields):
    version = version_field(required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("amount_ordered")
        if amount is not None and self.instance.pk:
            schedule, payments = _schedule_and_payments(self.instance)
            for problem in compensation_problems(amount, schedule, payments):
                self.add_error("amount_ordered", problem)
        return data


class CompensationPaymentForm(_LedgerEntryForm[CompensationLedger]):
    localised = ("amount",)

    class Meta:
        model = CompensationPayment
        fields = ["paid_on", "amount", "reference"]
        widgets = {"paid_on": DATE_WIDGET}

    def clean_paid_on(self) -> Any:
        value = past_date(self.cleaned_data["paid_on"], "La date du versement")
        if value < self.ledger.decided_on:
            raise forms.ValidationError(
                f"Le versement précède la décision ({self.ledger.decided_on:%d/%m/%Y})."
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, paid_on = data.get("amount"), data.get("paid_on")
        if amount is not None and paid_on is not None:
            schedule, payments = _schedule_and_payments(self.ledger)
            problems = compensation_problems(
                self.ledger.amount_ordered, schedule, [*payments, Payment(paid_on, amount)]
            )
            for problem in problems:
                self.add_error("amount", problem)
        return data
