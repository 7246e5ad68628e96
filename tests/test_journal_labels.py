"""The journal names each object type in French for the administrator's technical view: a
record's model verbose name ("person" → "personne suivie"), a door's name as it is."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from parcours.accounts.journal import object_type_label

from .helpers import client_for, text

pytestmark = pytest.mark.django_db


def test_the_administrator_reads_french_object_types(cast):
    client_for(cast.cpip).get(reverse("people:detail", args=[cast.person.public_id]))
    page = text(client_for(cast.admin).get(reverse("audit:journal")))
    assert f"personne suivie {cast.person.public_id}" in page
    assert f"person {cast.person.public_id}" not in page


def test_model_types_are_named_after_their_model_and_door_names_kept():
    assert object_type_label("referral") == "orientation"
    assert object_type_label("sentenceline") == "peine à exécuter"
    assert object_type_label("orientation (partenaire)") == "orientation (partenaire)"


PARCOURS_APPS = {c.label for c in apps.get_app_configs() if c.name.startswith("parcours.")}


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in PARCOURS_APPS],
    ids=lambda m: m._meta.label,
)
def test_every_model_declares_its_french_name(model):
    """The journal and the error pages show it; without one, Django splits the class name into
    English words ("user session")."""
    assert "verbose_name" in model._meta.original_attrs, model._meta.label
