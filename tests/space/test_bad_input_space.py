"""Bad input in the person's space: a French 4xx, never a 500, never another person's data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from tests.agenda.factories import make_appointment
from tests.helpers import text
from tests.obligations.factories import make_obligation

from .conftest import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def space(member: Any, http_sms: Any) -> Client:
    client = signed_in_client(http_sms)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("identifier", [uuid.uuid4(), uuid.UUID(int=0)])
def test_unknown_identifiers_are_not_found(space: Client, identifier: uuid.UUID) -> None:
    for url in (
        f"/espace/rendez-vous/{identifier}/reponse/",
        f"/espace/justificatifs/{identifier}/envoi/",
    ):
        response = space.post(url, {"answer": "confirme"})
        assert response.status_code == 404 and "Page introuvable" in text(response)


def test_another_person_s_obligation_is_not_found(cast: Any, space: Client) -> None:
    other = make_obligation(cast.other_person)
    response = space.post(f"/espace/justificatifs/{other.public_id}/envoi/", {})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"answer": "peut-etre"},
        {"answer": "empeche"},
        {"answer": "empeche", "reason": "x" * 501},
        {"answer": "confirme\x00"},
    ],
)
def test_bad_answers_are_a_french_400(cast: Any, member: Any, space: Client, data: dict) -> None:
    appointment = make_appointment(cast, person=member)
    response = space.post(f"/espace/rendez-vous/{appointment.public_id}/reponse/", data)
    assert response.status_code == 400
    assert not appointment.replies.exists()


def test_a_past_appointment_takes_no_answer(cast: Any, member: Any, space: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    appointment = make_appointment(
        cast, person=member, starts_at=timezone.now() + timedelta(minutes=1)
    )
    appointment.status = "honore"
    appointment.save()
    response = space.post(
        f"/espace/rendez-vous/{appointment.public_id}/reponse/", {"answer": "confirme"}
    )
    assert response.status_code == 400
    assert not appointment.replies.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"code": ""},
        {"code": "12345"},
        {"code": "1234567"},
        {"code": "12 34 56 78"},
        {"code": "\x00"},
    ],
)
def test_bad_codes_are_a_french_400(member: Any, http_sms: Any, data: dict) -> None:
    client = Client(raise_request_exception=False)
    client.post("/espace/", {"identifier": "06 12 34 56 78", "birth_date": "1990-05-17"})
    response = client.post("/espace/code/", data)
    assert response.status_code == 400
    assert (
        "6 chiffres" in text(response) or "obligatoire" in text(response) or "nul" in text(response)
    )


@pytest.mark.parametrize(
    "data",
    [
        {"identifier": "", "birth_date": ""},
        {"identifier": "x" * 300, "birth_date": "1990-05-17"},
        {"identifier": "06 12 34 56 78", "birth_date": "31/02/1990"},
        {"identifier": "01 23 45 67 89", "birth_date": "1990-05-17"},  # a landline
        {"identifier": "\x00", "birth_date": "1990-05-17"},
    ],
)
def test_bad_sign_in_input_is_a_french_400(db: None, data: dict) -> None:
    response = Client(raise_request_exception=False).post("/espace/", data)
    assert response.status_code == 400
    assert "erreur" in text(response)
