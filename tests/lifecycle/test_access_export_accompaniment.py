"""The right-of-access export covers the accompaniment and the person's space (issues 17, 18):
each section carries the person's known values; no sign-in secret, no other person's data."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from pypdf import PdfReader

from ..helpers import client_for
from .accompaniment import fill
from .test_access_export import FORM, unzip, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

SECTIONS = {
    "evaluations": ("person_view", "reasons"),
    "plans": ("goal", "step"),
    "orientations": ("referral", "session"),
    "sms_recus": ("sms",),
    "controles": ("checkin", "review"),
    "reponses_convocations": ("reply",),
    "espace_personnel": ("notice",),
}
HEADINGS = (
    "Évaluations",
    "Plans d'accompagnement",
    "Orientations vers les partenaires",
    "SMS reçus",
    "Contrôles à distance",
    "Réponses aux convocations",
    "Espace personnel",
)


@pytest.fixture
def exported(cast: Any) -> tuple[dict[str, bytes], Any, Any]:
    mine = fill(cast, cast.person, "MARQUEUR")
    theirs = fill(cast, cast.other_person, "AUTREPERSONNE")
    response = client_for(cast.dpip).post(url(cast.person), FORM)
    assert response.status_code == 200
    return unzip(response.content), mine, theirs


def test_each_new_section_holds_the_persons_values(exported: Any) -> None:
    files, mine, _ = exported
    data = json.loads(files["donnees.json"])
    for section, keys in SECTIONS.items():
        dumped = json.dumps(data[section], ensure_ascii=False)
        for key in keys:
            assert mine.texts[key] in dumped, (section, key)
    assessment = next(
        a for a in data["evaluations"] if a["Évaluation"] != "Autoévaluation numérique"
    )
    assert assessment["Logement — appréciation du CPIP"] == "Besoin important"
    assert assessment["Logement — avis de la personne"] == mine.texts["person_view"]
    assert any(a["Évaluation"] == "Autoévaluation numérique" for a in data["evaluations"])
    referral = data["orientations"][0]
    assert referral["Partenaire"] and referral["Statut"]
    space = data["espace_personnel"]
    assert space["compte"]["Espace personnel"] == "activé"
    assert space["connexions"][0]["Connexion le"] and space["connexions"][0]["Fin le"]
    assert space["tentatives"] == [
        {"Date": space["tentatives"][0]["Date"], "Étape": "Connexion réussie"}
    ]
    assert data["reponses_convocations"][0]["Réponse"] == "Ne peut pas venir"


def test_the_pdf_has_the_sections_and_the_zip_the_checkin_proof(exported: Any) -> None:
    files = exported[0]
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["donnees.pdf"])).pages)
    for heading in HEADINGS:
        assert heading in pdf, heading
    assert "Besoin important" in pdf and "Connexion réussie" in pdf
    assert [name for name in files if name.startswith("controles/")]


def test_no_sign_in_secret_and_no_other_persons_data(exported: Any) -> None:
    files, mine, theirs = exported
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["donnees.pdf"])).pages)
    everything = files["donnees.json"].decode() + pdf
    for secret in mine.secrets + theirs.secrets:
        assert secret not in everything
    assert "AUTREPERSONNE" not in everything
    assert "MARQUEUR" in everything
