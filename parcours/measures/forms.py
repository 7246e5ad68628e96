from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.catalog.models import MeasureType
from parcours.core.form_fields import DATE_WIDGET, date_field, field_of, version_field
from parcours.people.models import IncarcerationPeriod
from parcours.rules.legal_deadlines import TIG_MAX_DELAY_MONTHS
from parcours.rules.measures import dates_problem, probation_period_problem
from parcours.rules.timeline import Nature

from .models import (
    CONVICTION_FIELDS,
    EDITABLE_FIELDS,
    EXECUTION_FIELDS,
    JUDGMENT_FIELDS,
    Measure,
    MeasureSuspension,
)

OLDEST_YEAR = 1950


def past_date(value: Any, what: str, *, oldest_year: int | None = OLDEST_YEAR) -> Any:
    """A date of a case record's past (today included, not before `oldest_year`); `what`
    names it in the French message ("La date du jugement"). The forms of the apps on measures
    (obligations, manquements, registres) check their dates with it too."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} ne peut pas être dans le futur.")
    if value and oldest_year is not None and value.year < oldest_year:
        raise forms.ValidationError(f"{what} est invalide.")
    return value


# The measure form's sections (fieldsets), in order; fields not named here go first.
FORM_GROUPS = (
    (
        "Jugement",
        JUDGMENT_FIELDS,
    ),
    ("Exécution", ("release_date", "file_received_on", *EXECUTION_FIELDS)),
    ("Condamnation", CONVICTION_FIELDS),
    ("TIG", ("tig_delay_months",)),
)


class MeasureForm(forms.ModelForm):
    version = version_field()
    recidive = forms.ChoiceField(
        label="Récidive légale",
        required=False,
        choices=[("", "Non"), ("simple", "Récidive"), ("reiteree", "Nouvelle récidive")],
        help_text="Allonge le délai d'épreuve maximal (CP art. 132-42).",
    )

    class Meta:
        model = Measure
        fields = list(EDITABLE_FIELDS)
        widgets = {
            name: DATE_WIDGET
            for name in (
                "judgment_date",
                "start_date",
                "end_date",
                "release_date",
                "file_received_on",
                "notified_on",
                "executoire_on",
                "final_on",
                "spip_referral_on",
                "renforce_ordered_on",
                "jap_ordinance_on",
                "ended_on",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = MeasureType.objects.current()
        if self.instance.pk:
            current = current | MeasureType.objects.filter(pk=self.instance.measure_type_id)
            self.fields["version"].initial = self.instance.version
        self.fields["offence_nature"].required = False
        measure_type = field_of(self, "measure_type", forms.ModelChoiceField)
        measure_type.queryset = current
        measure_type.empty_label = "Choisir…"
        field_of(self, "tribunal", forms.ModelChoiceField).queryset = Organisation.objects.filter(
            kind=OrganisationKind.TRIBUNAL, is_active=True
        )

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The visible fields by section: (legend, bound fields); the first has no legend."""
        grouped = {name for _, names in FORM_GROUPS for name in names}
        first = [f for f in self.visible_fields() if f.name not in grouped]
        return [("", first)] + [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in FORM_GROUPS
        ]

    def clean_tig_delay_months(self) -> Any:
        value = self.cleaned_data.get("tig_delay_months")
        if value is not None and not 1 <= value <= TIG_MAX_DELAY_MONTHS:
            raise forms.ValidationError(
                f"Le délai d'exécution du TIG doit être compris entre 1 et "
                f"{TIG_MAX_DELAY_MONTHS} mois (CP art. 131-22)."
            )
        return value

    def clean_offence_nature(self) -> Any:
        """Optional in the form: a délit when not said (the model's default)."""
        return self.cleaned_data.get("offence_nature") or Nature.DELIT

    def clean_judgment_date(self) -> Any:
        return past_date(self.cleaned_data["judgment_date"], "La date du jugement")

    # The release date may be in the future: the notice of CPP art. 741-1 is handed to the
    # person before the release (issue 13).

    def clean_file_received_on(self) -> Any:
        value = self.cleaned_data.get("file_received_on")
        return past_date(value, "La date de réception du dossier", oldest_year=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = dates_problem(
            data.get("judgment_date"), data.get("start_date"), data.get("end_date")
        )
        if problem:
            self.add_error("end_date" if "fin" in problem else "start_date", problem)
        measure_type: MeasureType | None = data.get("measure_type")
        if measure_type is not None:
            problem = probation_period_problem(
                data.get("probation_months"),
                has_period=measure_type.has_probation_period,
                minimum=measure_type.min_probation_months,
                maximum=measure_type.max_probation_months,
                recidive=data.get("recidive") or None,
            )
            if problem:
                self.add_error("probation_months", problem)
        return data


class _PeriodForm(forms.ModelForm):
    """A half-open period: `start` the first day, `end` the first day back (exclusive)."""

    version = version_field()
    end_words = "La fin"

    class Meta:
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_start(self) -> Any:
        return past_date(self.cleaned_data.get("start"), "La date de début")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", f"{self.end_words} doit être postérieure au début.")
        return data


class IncarcerationForm(_PeriodForm):
    end_words = "La date de libération"

    class Meta(_PeriodForm.Meta):
        model = IncarcerationPeriod
        fields = ["start", "end", "establishment", "source"]

    def clean_end(self) -> Any:
        value = self.cleaned_data.get("end")
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                "La date de libération ne peut pas être dans le futur : laissez-la vide tant "
                "que l'incarcération dure."
            )
        return value


class IncarcerationEndForm(forms.Form):
    """Ends an ongoing incarceration, after an explicit confirmation."""

    end = date_field("Date de libération")
    confirm = forms.BooleanField(
        label="Je confirme la libération à cette date : la fin prévue des mesures sera recalculée.",
        required=True,
        error_messages={"required": "Cochez la case pour confirmer la libération."},
    )
    version = version_field()

    def __init__(self, *args: Any, period: IncarcerationPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period = period
        self.fields["version"].initial = period.version

    def clean_end(self) -> Any:
        value = past_date(self.cleaned_data.get("end"), "La date de libération")
        if value and value <= self.period.start:
            raise forms.ValidationError(
                "La date de libération doit être postérieure au début de l'incarcération."
            )
        return value


class SuspensionForm(_PeriodForm):
    end_words = "La reprise"

    class Meta(_PeriodForm.Meta):
        model = MeasureSuspension
        fields = ["reason", "start", "end", "source"]


class MeasureChoiceField(forms.ModelChoiceField):
    """The "Mesure concernée" of a form about a person (an assessment, a report, a note): one of
    their measures (`of(person)`), named by its type and judgment date, and by its tribunal when
    `tribunal`."""

    def __init__(self, *, empty_label: str, help_text: str = "", tribunal: bool = False) -> None:
        super().__init__(
            Measure.objects.none(),
            label="Mesure concernée",
            required=False,
            empty_label=empty_label,
            help_text=help_text,
        )
        self.tribunal = tribunal

    def of(self, person: Any) -> None:
        """The person's measures, the last judged first."""
        related = ("measure_type", "tribunal") if self.tribunal else ("measure_type",)
        self.queryset = person.measures.select_related(*related).order_by("-judgment_date", "-pk")

    def label_from_instance(self, obj: Any) -> str:
        tribunal = f" ({obj.tribunal})" if self.tribunal and obj.tribunal_id else ""
        return f"{obj.measure_type.label} — jugement du {obj.judgment_date:%d/%m/%Y}{tribunal}"
