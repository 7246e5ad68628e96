"""The person's right of access (lifecycle export) includes the detention record."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from parcours.detention import services

from ..helpers import client_for
from ..lifecycle.test_access_export import FORM, unzip
from .factories import first_ecrou

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "engine")]


def test_the_export_lists_the_ecrou_its_sentences_and_decisions(cast: Any) -> None:
    ecrou = first_ecrou(cast.person)
    services.record_reduction(cast.cpip, ecrou, kind="rp", granted_on=date(2027, 1, 5), days=20)
    response = client_for(cast.dpip).post(
        reverse("lifecycle:access_export", args=[cast.person.public_id]), FORM
    )
    assert response.status_code == 200
    files = unzip(response.content)
    (item,) = json.loads(files["donnees.json"])["detention"]
    assert item["Écrou"] == "n° 12345 — Centre pénitentiaire de Lille-Sequedin"
    assert item["Date d'écrou"] == "01/09/2026"
    assert item["Peine n° 1"].startswith("2 an(s), Délit, définitive le 01/10/2026")
    assert item["Réduction de peine (art. 721) du 05/01/2027"] == "octroi : 20 jour(s)"
