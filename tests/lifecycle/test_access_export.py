"""The person's data export (right of access) through the person door."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from parcours.audit.models import AuditEvent
from parcours.notes.services import create_note
from parcours.rules.vocabulary import AuditAction

from ..helpers import client_for, quiet, text
from ..obligations.factories import make_obligation, make_proof

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

VICTIM_HOME = "12 rue de la Victime"
VICTIM_NAME = "Mme Victime Dupont"
FORM = {"origin": "demande_directe", "reference": "Courrier reçu le 10/03/2027"}


def url(person: Any) -> str:
    return reverse("lifecycle:access_export", args=[person.public_id])


@pytest.fixture
def file_with_third_parties(cast: Any) -> Any:
    person = cast.person
    create_note(
        acting_user=cast.cpip,
        person=person,
        kind="entretien",
        event_date=person.measures.first().start_date,
        body="Entretien : il suit une formation de cariste.",
    )
    make_obligation(person, "cp_132_45_18", parameters={"domicile": VICTIM_HOME, "distance": 200})
    make_obligation(person, "cp_132_45_13", parameters={"personnes": VICTIM_NAME})
    make_proof(make_obligation(person, "cp_132_45_3"))
    return person


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_dpip_gets_the_file_with_the_note_and_without_the_victim(
    cast: Any, file_with_third_parties: Any
) -> None:
    client = client_for(cast.dpip)
    page = client.get(url(cast.person))
    assert page.status_code == 200
    assert "Droit d'accès" in text(page)

    response = client.post(url(cast.person), FORM)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    files = unzip(response.content)
    assert {"donnees.pdf", "donnees.json"} <= set(files)
    assert any(name.startswith("justificatifs/") for name in files)
    data = json.loads(files["donnees.json"])
    dumped = files["donnees.json"].decode()
    assert "il suit une formation de cariste" in dumped
    assert data["identite"]["Nom d'usage"] == cast.person.last_name
    assert VICTIM_HOME not in dumped and VICTIM_NAME not in dumped
    assert "[retenu : concerne un tiers]" in dumped
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(files["donnees.pdf"])).pages)
    assert "cariste" in pdf
    assert "Victime" not in pdf and "Dupont" not in pdf


def test_the_export_is_journaled_with_its_motif(cast: Any, file_with_third_parties: Any) -> None:
    client_for(cast.dpip).post(url(cast.person), FORM)
    event = AuditEvent.objects.get(action=AuditAction.DROIT_ACCES)
    assert event.actor == cast.dpip
    assert event.person_public_id == cast.person.public_id
    assert event.motif == "demande_directe"
    assert event.motif_detail == FORM["reference"]


def test_the_journal_of_consultations_gives_roles_not_names(
    cast: Any, file_with_third_parties: Any
) -> None:
    client_for(cast.cpip).get(reverse("people:detail", args=[cast.person.public_id]))
    data = json.loads(
        unzip(client_for(cast.dpip).post(url(cast.person), FORM).content)["donnees.json"]
    )
    consultations = data["journal_des_consultations"]
    assert any(row["Rôle"] == "cpip" for row in consultations)
    assert "Martin" not in json.dumps(consultations)  # cpip is Camille Martin


def test_another_spip_gets_404(cast: Any) -> None:
    client = quiet(cast.dpip)
    assert client.get(url(cast.other_person)).status_code == 404
    assert client.post(url(cast.other_person), FORM).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DROIT_ACCES).exists()


@pytest.mark.parametrize("role", ["cpip", "secretariat", "jap", "partenaire", "admin"])
def test_roles_other_than_management_get_403(cast: Any, role: str) -> None:
    client = quiet(cast.user(role))
    assert client.get(url(cast.person)).status_code == 403
    assert client.post(url(cast.person), FORM).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.DROIT_ACCES).exists()


def test_missing_reference_is_a_french_400(cast: Any) -> None:
    response = quiet(cast.dpip).post(url(cast.person), {"origin": "demande_cnil"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in text(response)
    assert not AuditEvent.objects.filter(action=AuditAction.DROIT_ACCES).exists()


def test_the_person_file_shows_the_button_to_management_only(cast: Any) -> None:
    detail = reverse("people:detail", args=[cast.person.public_id])
    assert url(cast.person) in text(client_for(cast.dpip).get(detail))
    assert url(cast.person) not in text(client_for(cast.cpip).get(detail))
