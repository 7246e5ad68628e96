"""Forms of the detention record and of the simulator (French, DSFR through
templates/includes/field.html). Thin: they check each field (a French message per field); the
services refuse what depends on the rest of the record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.core.form_fields import DATE_WIDGET, date_field, field_of, version_field
from parcours.people.models import Person
from parcours.rules.detention import ReductionKind, ReleaseKind, SentenceFlag
from parcours.rules.french import short_date
from parcours.rules.sentences import (
    REDUCTION_UNIT_MAX,
    UNIT_MAX,
    Duration,
    custody_problem,
    sentence_problems,
)
from parcours.rules.timeline import Nature

from .models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    Transfer,
)
from .services import (
    CUSTODY_FIELDS,
    ECROU_FIELDS,
    REDUCTION_FIELDS,
    SANCTION_FIELDS,
    SENTENCE_FIELDS,
    TRANSFER_FIELDS,
)

OLDEST = date(1950, 1, 1)  # the oldest date of the record a form accepts
SURETE_UNITS = {f"surete_{name}": top for name, top in UNIT_MAX.items()}


def not_future(value: date | None, what: str) -> date | None:
    """A date of the record's past, from OLDEST on; `what` names it ("La date de la décision")
    in the French message, which says the bound."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} ne peut pas être dans le futur.")
    if value and value < OLDEST:
        raise forms.ValidationError(
            f"{what} ({short_date(value)}) ne peut pas être antérieure au "
            f"{short_date(OLDEST)} : vérifiez l'année."
        )
    return value


def bound(form: forms.BaseForm, bounds: dict[str, int]) -> None:
    """Each count field of `bounds` refused above its bound (rules.sentences), the same French
    message as the simulator's."""
    for name, top in bounds.items():
        field = form.fields[name]
        field.validators.append(MaxValueValidator(top))
        field.widget.attrs["max"] = top


def establishments(person: Person) -> Any:
    """The active establishments of the person's SPIP."""
    return Organisation.objects.filter(
        kind=OrganisationKind.ETABLISSEMENT, spip_id=person.spip_id, is_active=True
    ).order_by("name")


def _establishment_choice(form: forms.BaseForm, name: str, person: Person) -> None:
    """The form's establishment field lists the person's SPIP's establishments."""
    field = field_of(form, name, forms.ModelChoiceField)
    field.queryset = establishments(person)
    field.empty_label = "Choisir…"


def _dates(*names: str) -> dict[str, forms.Widget]:
    return dict.fromkeys(names, DATE_WIDGET)


class VersionedForm(forms.ModelForm):
    """A model form with the record's version (optimistic locking: the service compares it).
    The `counts` (years, months, days…) may be left empty: zero."""

    version = version_field()
    multi_fields: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" in self.fields:
            self.fields["version"].initial = getattr(self.instance, "version", None)
        for name in self.counts:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.counts:
            if name in data and data[name] is None:
                data[name] = 0
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned model fields, for the service (plain data)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def changes(self) -> dict[str, Any]:
        """The cleaned model fields and the version the page was read at, for an update."""
        return {"expected_version": self.cleaned_data.get("version"), **self.values()}


class EcrouForm(VersionedForm):
    class Meta:
        model = Ecrou
        fields = list(ECROU_FIELDS)
        widgets = _dates("start")

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _establishment_choice(self, "establishment", person)

    def clean_start(self) -> Any:
        return not_future(self.cleaned_data.get("start"), "La date d'écrou")


class ReleaseForm(forms.Form):
    released_on = date_field("Date de libération", help_text="Premier jour hors détention.")
    kind = forms.ChoiceField(
        label="Mode de sortie", choices=[("", "Choisir…"), *ReleaseKind.choices]
    )
    version = version_field()
    multi_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, ecrou: Ecrou, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = ecrou.version

    def clean_released_on(self) -> Any:
        return not_future(self.cleaned_data.get("released_on"), "La date de libération")


class EntryForm(VersionedForm):
    """A form of a record hanging on an écrou (a sentence, an entry): it reads the écrou."""

    def __init__(self, *args: Any, ecrou: Ecrou, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ecrou = ecrou


class SentenceForm(EntryForm):
    flags = forms.MultipleChoiceField(
        label="Faits retenus",
        choices=SentenceFlag.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ce que lisent les conditions de libération (CPP art. 720 III, 729, 730-2).",
    )
    multi_fields = ("flags",)
    counts = ("years", "months", "days", "surete_years", "surete_months", "surete_days")

    class Meta:
        model = SentenceLine
        fields = list(SENTENCE_FIELDS)
        widgets = _dates("definitive_on", "judged_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rank"].required = False
        self.fields["rank"].help_text = "Vide : après les peines déjà saisies."
        self.fields["definitive_on"].required = False
        bound(self, {**UNIT_MAX, **SURETE_UNITS})

    def clean_definitive_on(self) -> Any:
        return not_future(
            self.cleaned_data.get("definitive_on"), "La date où la condamnation est définitive"
        )

    def clean_judged_on(self) -> Any:
        return not_future(self.cleaned_data.get("judged_on"), "La date de la décision")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("years", "months", "days")) and not (
            self.has_error("years") or self.has_error("months") or self.has_error("days")
        ):
            self.add_error("years", "Indiquez une durée : années, mois ou jours.")
        counts = (*UNIT_MAX, *SURETE_UNITS)
        if not any(self.has_error(name) for name in counts):
            add_problems(self, data, self.ecrou.start)
        return data


def add_problems(form: forms.BaseForm, data: dict[str, Any], start: date) -> None:
    """The refusals of rules.sentences.sentence_problems on the form's fields (a sentence
    form's cleaned `data`: years… surete_days, nature; `start`: the écrou date)."""
    length = Duration(*(data.get(name) or 0 for name in UNIT_MAX))
    surete = Duration(*(data.get(name) or 0 for name in SURETE_UNITS))
    for name, message in sentence_problems(length, data.get("nature") or "", surete, start):
        form.add_error(name, message)


class DeleteForm(forms.Form):
    version = version_field(required=True)
    multi_fields: tuple[str, ...] = ()


class PriorCustodyForm(EntryForm):
    class Meta:
        model = PriorCustody
        fields = list(CUSTODY_FIELDS)
        widgets = _dates("start", "end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "La fin (premier jour libre) doit suivre le début.")
        problem = custody_problem(start, self.ecrou.person.birth_date) if start else None
        if problem:
            self.add_error("start", problem)
        return data


class ReductionForm(EntryForm):
    counts = ("months", "days")

    class Meta:
        model = ReductionDecision
        fields = list(REDUCTION_FIELDS)
        widgets = _dates("granted_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound(self, REDUCTION_UNIT_MAX)

    def clean_granted_on(self) -> Any:
        return not_future(self.cleaned_data.get("granted_on"), "La date de la décision")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("months") or data.get("days")) and not self.has_error("days"):
            self.add_error("days", "Indiquez le quantum : des mois ou des jours.")
        return data


class SanctionForm(EntryForm):
    class Meta:
        model = DisciplinarySanction
        fields = list(SANCTION_FIELDS)
        widgets = _dates("on")

    def clean_on(self) -> Any:
        return not_future(self.cleaned_data.get("on"), "La date de la sanction")


class TransferForm(EntryForm):
    class Meta:
        model = Transfer
        fields = list(TRANSFER_FIELDS)
        widgets = _dates("on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _establishment_choice(self, "to_establishment", self.ecrou.person)

    def clean_on(self) -> Any:
        return not_future(self.cleaned_data.get("on"), "La date du transfert")


# --- The simulator ----------------------------------------------------------------------------

SIM_SENTENCES = 4
SIM_REDUCTIONS = 4


def _count(label: str, top: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=top, required=False, widget=forms.NumberInput()
    )


class SimCaseForm(forms.Form):
    birth_date = date_field("Date de naissance")
    ecrou_date = date_field(
        "Date d'écrou", help_text="Premier jour de la détention ininterrompue en cours."
    )
    pre_trial_days = _count("Détention à imputer (jours)", 99_999)
    as_of = date_field(
        "Dates calculées au",
        required=False,
        help_text="Vide : toutes les réductions saisies comptent.",
    )
    parent_enfant_moins_10 = forms.BooleanField(
        label="Parent d'un enfant de moins de dix ans résidant habituellement chez lui",
        required=False,
    )
    hebergement = forms.BooleanField(label="Hébergement justifié à la sortie", required=False)
    sanction_disciplinaire_violence = forms.BooleanField(
        label="Sanction disciplinaire pour violences sur un membre du personnel ou un intervenant",
        required=False,
    )
    multi_fields: tuple[str, ...] = ()
    title = ""  # how the error summary names the form's fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        birth, ecrou = data.get("birth_date"), data.get("ecrou_date")
        if birth and ecrou and birth >= ecrou:
            self.add_error("ecrou_date", "La date d'écrou doit suivre la date de naissance.")
        return data


class SimSentenceForm(forms.Form):
    years = _count("Années", UNIT_MAX["years"])
    months = _count("Mois", UNIT_MAX["months"])
    days = _count("Jours", UNIT_MAX["days"])
    definitive_on = date_field("Définitive le", required=False)
    nature = forms.ChoiceField(label="Nature", choices=Nature.choices, initial=Nature.DELIT)
    recidive = forms.BooleanField(label="Récidive légale", required=False)
    flags = forms.MultipleChoiceField(
        label="Faits retenus",
        choices=SentenceFlag.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    surete_years = _count("Sûreté : années", UNIT_MAX["years"])
    surete_months = _count("Sûreté : mois", UNIT_MAX["months"])
    surete_days = _count("Sûreté : jours", UNIT_MAX["days"])
    multi_fields = ("flags",)

    def __init__(self, *args: Any, required: bool = False, title: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required = required
        self.title = title

    @property
    def used(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("years", "months", "days"))

    def check_against(self, ecrou_date: date) -> None:
        """The bounds of rules.sentences on this valid line, served from `ecrou_date`
        (contravention, sûreté longer than the sentence)."""
        add_problems(self, self.cleaned_data, ecrou_date)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = any(data.get(n) for n in ("years", "months", "days"))
        other = any(
            data.get(n)
            for n in ("definitive_on", "recidive", "flags", "surete_years", "surete_months")
        ) or bool(data.get("surete_days"))
        if not given and (self.required or other) and not self.has_error("years"):
            self.add_error(
                "years",
                "Indiquez la durée de la peine (années, mois ou jours)."
                if self.required
                else "Indiquez la durée de cette peine, ou videz ses autres champs.",
            )
        return data


class SimReductionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ReductionKind.choices, initial=ReductionKind.RP)
    granted_on = date_field("Décision du", required=False)
    months = _count("Mois", REDUCTION_UNIT_MAX["months"])
    days = _count("Jours", REDUCTION_UNIT_MAX["days"])
    withdrawn = forms.BooleanField(label="Retrait", required=False)
    multi_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, title: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = title

    @property
    def used(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("granted_on") or data.get("months") or data.get("days"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("months") or data.get("days")
        if data.get("granted_on") and not amount and not self.has_error("days"):
            self.add_error("days", "Indiquez le quantum de la décision (mois ou jours).")
        if amount and not data.get("granted_on") and not self.has_error("granted_on"):
            self.add_error("granted_on", "Indiquez la date de la décision.")
        return data
