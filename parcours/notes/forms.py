from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from parcours.accounts.models import User
from parcours.core.form_fields import date_field, field_of, version_field
from parcours.measures.forms import MeasureChoiceField
from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.rules.dates import local_date
from parcours.rules.text import query_keys

from .access import NOTE_ROLES, searchable_people
from .models import NoteKind
from .sanitize import BODY_MAX, body_problem, clean_body, plain_text
from .search import NoteSearch

EARLIEST_YEAR = 1990


class AuthorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class NoteForm(forms.Form):
    version = version_field()
    kind = forms.ChoiceField(label="Type de note", choices=[("", "Choisir…"), *NoteKind.choices])
    event_date = date_field("Date de l'événement")
    measure = MeasureChoiceField(empty_label="Aucune en particulier")
    # No max_length: Django would count each line break twice (the browser sends CR LF); the
    # limit is checked in clean_body as the browser counts it, and by the service.
    body = forms.CharField(
        label="Texte de la note",
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": BODY_MAX}),
        help_text=(
            "Mise en forme : **gras** entre deux paires d'astérisques, *italique* entre deux "
            "astérisques, une ligne commençant par « - » pour un élément de liste ; une ligne "
            "vide sépare les paragraphes, un retour à la ligne est conservé."
        ),
    )
    sensitive = forms.BooleanField(
        label="Note sensible",
        required=False,
        help_text="Visible seulement par vous et l'encadrement (DPIP, DFSPIP) du service.",
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new note is usually about today, in the SPIP's zone (an edit's initial wins).
        self.fields["event_date"].initial = local_date(timezone.now(), person.spip.timezone)
        field_of(self, "measure", forms.ModelChoiceField).queryset = (
            Measure.objects.filter(person=person)
            .select_related("measure_type")
            .order_by("-judgment_date")
        )

    def clean_event_date(self) -> Any:
        value = self.cleaned_data["event_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date de l'événement ne peut pas être dans le futur.")
        if value.year < EARLIEST_YEAR:
            raise forms.ValidationError(
                f"La date de l'événement ne peut pas être antérieure à {EARLIEST_YEAR}."
            )
        return value

    def clean_body(self) -> str:
        value: str = self.cleaned_data["body"]
        problem = body_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        if not plain_text(clean_body(value)).strip():
            raise forms.ValidationError("Le texte de la note est vide.")
        return value


ORDER_CHOICES = [("pertinence", "Pertinence"), ("date", "Date (plus récentes d'abord)")]


class SearchForm(forms.Form):
    q = forms.CharField(label="Rechercher dans les notes", max_length=200, required=False)
    personne = forms.UUIDField(required=False, widget=forms.HiddenInput)
    type = forms.ChoiceField(
        label="Type de note", required=False, choices=[("", "Tous"), *NoteKind.choices]
    )
    du = date_field("Du", required=False)
    au = date_field("Au", required=False)
    auteur = AuthorChoiceField(
        label="Auteur",
        required=False,
        queryset=User.objects.none(),
        empty_label="Tous",
        to_field_name="public_id",
    )
    tri = forms.ChoiceField(label="Trier par", required=False, choices=ORDER_CHOICES)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.person: Person | None = None
        field_of(self, "auteur", forms.ModelChoiceField).queryset = User.objects.filter(
            organisation__spip_id=user.spip_id, role__in=NOTE_ROLES
        ).order_by("last_name", "first_name")

    def clean_personne(self) -> Any:
        value = self.cleaned_data.get("personne")
        if value:
            self.person = searchable_people(self.user).filter(public_id=value).first()
            if self.person is None:
                raise forms.ValidationError("Personne introuvable dans votre périmètre.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("du"), data.get("au")
        if start and end and start > end:
            self.add_error("au", "La date de fin doit être postérieure à la date de début.")
        return data

    @property
    def ignored_words(self) -> bool:
        """Only short or common words ("le", "de"…): nothing to look for."""
        text = self.cleaned_data.get("q") or ""
        return bool(text) and not query_keys(text)

    def criteria(self) -> NoteSearch:
        data = self.cleaned_data
        return NoteSearch(
            text="" if self.ignored_words else data.get("q") or "",
            person=self.person,
            kind=data.get("type") or "",
            date_from=data.get("du"),
            date_to=data.get("au"),
            author=data.get("auteur"),
            order=data.get("tri") or "pertinence",
        )
