"""A form sent with a stale or missing CSRF token (another tab signed out and in again) gets a
French page that says nothing was saved and offers the way back, never Django's English page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from parcours.notes.models import Note

from .helpers import text

pytestmark = pytest.mark.django_db


def test_a_stale_token_answers_a_french_page_and_saves_nothing(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.cpip)
    url = reverse("notes:create", kwargs={"person_id": cast.person.public_id})
    response = client.post(
        url, {"kind": "entretien", "body": "Texte saisi", "event_date": "2027-03-15"}
    )
    assert response.status_code == 403
    page = text(response)
    assert "Formulaire expiré" in page and "Rien n'a été enregistré." in page
    assert "data-back" in page
    assert "CSRF" not in page and 'lang="en"' not in page
    assert not Note.objects.filter(person=cast.person).exists()
