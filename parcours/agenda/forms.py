from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from parcours.accounts.models import Organisation
from parcours.core.form_fields import DATE_WIDGET, TIME_WIDGET, field_of
from parcours.measures.forms import MeasureChoiceField
from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.people.forms import phone_value
from parcours.people.models import Person
from parcours.people.phones import normalise_french_phone
from parcours.rules.agenda import Action

from .models import Agenda, AppointmentType, Place, Slot, SlotTemplate
from .services import BookingRequest


def limit_choices(
    form: forms.BaseForm, name: str, queryset: QuerySet[Any], empty_label: str | None = None
) -> None:
    """Narrows a model choice field to the user's scope (and names its empty choice)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if empty_label is not None:
        field.empty_label = empty_label


class BookingForm(forms.Form):
    """Book from the person file: a free slot, or a free time on the chosen agenda."""

    appointment_type = forms.ModelChoiceField(
        label="Type de rendez-vous", queryset=AppointmentType.objects.filter(is_active=True)
    )
    agenda = forms.ModelChoiceField(label="Agenda", queryset=Agenda.objects.none())
    slot = forms.CharField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(label="Date", required=False, widget=DATE_WIDGET)
    start = forms.TimeField(label="Heure", required=False, widget=TIME_WIDGET)
    duration = forms.IntegerField(
        label="Durée (minutes)", min_value=5, max_value=480, required=False
    )
    measure = MeasureChoiceField(empty_label="Aucune en particulier")
    every_weeks = forms.IntegerField(
        label="Répéter toutes les … semaines",
        min_value=1,
        max_value=12,
        required=False,
        help_text="Laisser vide pour un rendez-vous unique.",
    )
    count = forms.IntegerField(
        label="Nombre de rendez-vous de la série", min_value=2, max_value=26, required=False
    )
    comment = forms.CharField(label="Commentaire interne", max_length=300, required=False)
    sms = forms.BooleanField(
        label="Envoyer un SMS (convocation et rappel)", required=False, initial=True
    )
    email = forms.BooleanField(label="Envoyer aussi un courriel", required=False)

    def __init__(
        self, *args: Any, person: Person, agendas: QuerySet[Agenda], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        limit_choices(self, "agenda", agendas)
        # The person's current measures, the last judged first, named by their judgment.
        field_of(self, "measure", MeasureChoiceField).queryset = (
            Measure.objects.filter(person=person, status__in=CURRENT_STATUSES)
            .select_related("measure_type")
            .order_by("-judgment_date", "-pk")
        )
        self.chosen_slot: Slot | None = None
        self.starts_at: datetime | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agenda: Agenda | None = data.get("agenda")
        kind: AppointmentType | None = data.get("appointment_type")
        if agenda is None or kind is None:
            return data
        slot_id = (data.get("slot") or "").strip()
        if slot_id:
            try:
                self.chosen_slot = Slot.objects.select_related("appointment_type").get(
                    public_id=slot_id, agenda=agenda
                )
            except (Slot.DoesNotExist, ValueError, forms.ValidationError):
                self.add_error(None, "Ce créneau n'existe pas ou n'appartient pas à cet agenda.")
                return data
            self.starts_at = self.chosen_slot.starts_at
            data["duration"] = int(
                (self.chosen_slot.ends_at - self.chosen_slot.starts_at).total_seconds() // 60
            )
        else:
            day, start = data.get("day"), data.get("start")
            if day is None:
                self.add_error("day", "Choisissez un créneau libre ou indiquez une date.")
            if start is None:
                self.add_error("start", "Indiquez l'heure du rendez-vous.")
            if day is None or start is None:
                return data
            tz = agenda.place.tz
            self.starts_at = datetime.combine(day, start, tzinfo=tz)
            data["duration"] = data.get("duration") or kind.default_duration
        every, count = data.get("every_weeks"), data.get("count")
        if bool(every) != bool(count):
            self.add_error(
                "count" if every else "every_weeks",
                "Pour une série, indiquez la fréquence et le nombre de rendez-vous.",
            )
        return data

    def booking_request(self) -> BookingRequest:
        """The valid form as the booking service's request."""
        data = self.cleaned_data
        assert self.starts_at is not None
        return BookingRequest(
            person=self.person,
            appointment_type=data["appointment_type"],
            agenda=data["agenda"],
            starts_at=self.starts_at,
            duration=int(data["duration"]),
            slot=self.chosen_slot,
            measure_id=data["measure"].pk if data.get("measure") else None,
            comment=data.get("comment", ""),
            sms=bool(data.get("sms")),
            email=bool(data.get("email")),
        )


class OutcomeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label="Résultat",
        choices=[
            (Action.HONORER.value, "Honoré"),
            (Action.ABSENT.value, "Absent (non excusé)"),
            (Action.EXCUSER.value, "Excusé"),
            (Action.ANNULER.value, "Annulé"),
            (Action.CORRIGER.value, "Corriger le résultat"),
        ],
    )
    reason = forms.CharField(label="Motif", max_length=500, required=False)
    proof = forms.CharField(
        label="Justificatif de l'excuse",
        max_length=200,
        required=False,
        help_text="Par exemple : certificat médical du 3 décembre, convocation à France Travail.",
    )
    sms = forms.BooleanField(label="Prévenir la personne par SMS", required=False)


class RescheduleForm(BookingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Motif du report", max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["every_weeks"]
        del self.fields["count"]


class DayForm(forms.Form):
    day = forms.DateField(label="Jour", required=False, widget=DATE_WIDGET)
    agenda = forms.ModelChoiceField(label="Agenda", queryset=Agenda.objects.none(), required=False)
    place = forms.ModelChoiceField(label="Lieu", queryset=Place.objects.none(), required=False)

    def __init__(
        self,
        *args: Any,
        agendas: QuerySet[Agenda] | None = None,
        places: QuerySet[Place] | None = None,
        listed: list[Agenda] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if agendas is not None:
            # What a submitted agenda is checked against.
            limit_choices(self, "agenda", agendas, empty_label="Choisir…")
        if listed is not None:
            # The options, from the list the view already has (no query).
            field = self.fields["agenda"]
            assert isinstance(field, forms.ModelChoiceField)
            field.choices = [("", "Choisir…"), *((a.pk, str(a)) for a in listed)]
        if places is not None:
            limit_choices(self, "place", places, empty_label="Choisir…")

    def clean_day(self) -> Any:
        day = self.cleaned_data.get("day") or timezone.localdate()
        if abs((day - timezone.localdate()).days) > 3 * 366:
            raise forms.ValidationError("Choisissez une date à moins de trois ans d'aujourd'hui.")
        return day


class SlotTemplateForm(forms.ModelForm):
    class Meta:
        model = SlotTemplate
        fields = [
            "weekday",
            "start_time",
            "duration",
            "capacity",
            "appointment_type",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "start_time": TIME_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
        }

    def clean_duration(self) -> int:
        value = self.cleaned_data["duration"]
        if not 5 <= value <= 480:
            raise forms.ValidationError("La durée doit être comprise entre 5 minutes et 8 heures.")
        return int(value)

    def clean_capacity(self) -> int:
        value = self.cleaned_data["capacity"]
        if not 1 <= value <= 50:
            raise forms.ValidationError("La capacité doit être comprise entre 1 et 50 personnes.")
        return int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: time | None = data.get("start_time")
        if start and data.get("duration"):
            end = datetime.combine(datetime.min, start) + timedelta(minutes=data["duration"])
            if end.date() != datetime.min.date():
                self.add_error("duration", "Le créneau doit se terminer le même jour.")
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", "La fin de validité précède son début.")
        return data


class PlaceForm(forms.ModelForm):
    access_url = forms.URLField(
        label="Informations d'accès (lien)", required=False, assume_scheme="https"
    )

    class Meta:
        model = Place
        fields = [
            "organisation",
            "name",
            "address",
            "postal_code",
            "city",
            "phone",
            "access_url",
            "documents_to_bring",
        ]
        widgets = {"documents_to_bring": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", organisations)
        self.fields["organisation"].label = "Antenne ou juridiction"

    def clean_postal_code(self) -> str:
        value = (self.cleaned_data.get("postal_code") or "").strip()
        if not (len(value) == 5 and value.isdigit()):
            raise forms.ValidationError("Le code postal doit comporter 5 chiffres.")
        return value

    def clean_phone(self) -> str:
        return phone_value((self.cleaned_data.get("phone") or "").strip(), normalise_french_phone)
