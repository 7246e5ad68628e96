"""Forms of the adjustments app (French labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms

from parcours.accounts.models import Organisation, OrganisationKind, Role, User
from parcours.core.form_fields import comment_field, date_field, field_of
from parcours.rules.adjustments import LISTED, Adjustment, Decision, ItemKind, MarkStatus

MARK_CHOICES = [(s.value, s.label) for s in MarkStatus if s != MarkStatus.ROUVERT]


def establishments(user: User) -> Any:
    return Organisation.objects.filter(
        kind=OrganisationKind.ETABLISSEMENT, spip_id=user.spip_id
    ).order_by("name")


class OpportunityFilterForm(forms.Form):
    amenagement = forms.ChoiceField(
        label="Aménagement", required=False, choices=[("", "Tous"), *Adjustment.choices]
    )
    classe = forms.ChoiceField(
        label="Éligibilité",
        required=False,
        choices=[("", "Toutes"), *[(e.value, e.label) for e in LISTED]],
    )
    cpip = forms.ModelChoiceField(
        label="CPIP référent", required=False, queryset=User.objects.none(), empty_label="Tous"
    )
    etablissement = forms.ModelChoiceField(
        label="Établissement",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="Tous",
    )
    tri = forms.ChoiceField(
        label="Trier par date",
        required=False,
        choices=[("date", "La plus proche d'abord"), ("-date", "La plus lointaine d'abord")],
    )
    ecartes = forms.BooleanField(label="Afficher aussi les aménagements écartés", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.CPIP:
            del self.fields["cpip"]
        else:
            field_of(self, "cpip", forms.ModelChoiceField).queryset = User.objects.filter(
                role=Role.CPIP, organisation__spip_id=user.spip_id, is_active=True
            ).order_by("last_name", "first_name")
        field_of(self, "etablissement", forms.ModelChoiceField).queryset = establishments(user)


class MarkForm(forms.Form):
    adjustment = forms.ChoiceField(
        label="Aménagement", choices=Adjustment.choices, widget=forms.HiddenInput
    )
    status = forms.ChoiceField(label="État du dossier", choices=MARK_CHOICES)
    reason = comment_field(
        "Motif ou commentaire", help_text="Obligatoire pour un aménagement écarté."
    )
    refusal = forms.BooleanField(
        label="La personne refuse cette mesure (CPP art. 730-3 al. 2, 720 I 1°)", required=False
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Revue",
        choices=[("confirmer", "Confirmer l'écart"), ("rouvrir", "Rouvrir l'aménagement")],
    )
    note = comment_field("Commentaire", help_text="Obligatoire pour rouvrir.")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CommissionForm(forms.Form):
    establishment = forms.ModelChoiceField(
        label="Établissement", queryset=Organisation.objects.none(), empty_label="Choisir…"
    )
    held_on = date_field("Date de la commission")
    members = comment_field(
        "Composition", help_text="JAP, procureur, chef d'établissement, représentant du SPIP…"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "establishment", forms.ModelChoiceField).queryset = establishments(user)


class AddItemForm(forms.Form):
    person = forms.UUIDField(label="Personne")
    kind = forms.ChoiceField(label="Objet", choices=ItemKind.choices)
    adjustment = forms.ChoiceField(
        label="Aménagement", required=False, choices=[("", "—"), *Adjustment.choices]
    )


class ItemActionForm(forms.Form):
    action = forms.ChoiceField(
        label="Action",
        choices=[
            ("retirer", "Retirer de la liste"),
            ("monter", "Monter"),
            ("descendre", "Descendre"),
            ("avis", "Préparer l'avis du SPIP"),
        ],
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=Decision.choices)
    note = comment_field(
        "Précision",
        help_text="Mesure accordée, date de mise en œuvre, motif du refus ou de l'ajournement…",
    )
    months = forms.IntegerField(
        label="Réduction accordée : mois", required=False, min_value=0, max_value=120
    )
    days = forms.IntegerField(
        label="Réduction accordée : jours", required=False, min_value=0, max_value=3650
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
