from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from parcours.space.access import SESSION_COOKIE
from parcours.space.models import SpaceAccount
from tests.notifications.fake_provider import FakeProvider

PHONE = "06 12 34 56 78"
E164 = "+33612345678"
BIRTH = "1990-05-17"


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    provider = FakeProvider()
    try:
        yield provider
    finally:
        provider.close()


@pytest.fixture
def http_sms(settings: Any, fake: FakeProvider) -> FakeProvider:
    """Codes go to the fake provider over HTTP (tests/notifications/fake_provider.py)."""
    settings.PARCOURS_SMS_BACKEND = "http"
    settings.PARCOURS_SMS_URL = fake.url
    settings.PARCOURS_SMS_TOKEN = "jeton-de-test"
    settings.PARCOURS_SMS_TIMEOUT = 2
    return fake


@pytest.fixture
def member(cast: Any) -> Any:
    """cast.person (born 17/05/1990) with a French mobile, whose space the CPIP opened."""
    person = cast.person
    person.phone = E164
    person.email = "lucas.durand@example.org"
    person.save()
    SpaceAccount.objects.create(person=person, enabled=True)
    return person


def last_code(fake: FakeProvider) -> str:
    text = fake.requests[-1]["data"]["text"]
    found = re.search(r"\b(\d{6})\b", text)
    assert found, text
    return found.group(1)


def ask_code(client: Client, identifier: str = PHONE, birth: str = BIRTH) -> Any:
    return client.post("/espace/", {"identifier": identifier, "birth_date": birth})


def signed_in_client(fake: FakeProvider, **extra: Any) -> Client:
    """A browser signed in to the space (the whole flow: number, code from the provider)."""
    client = Client(**extra)
    assert ask_code(client).status_code == 302
    response = client.post("/espace/code/", {"code": last_code(fake)})
    assert response.status_code == 302 and response["Location"] == "/espace/accueil/"
    assert client.cookies[SESSION_COOKIE].value
    return client
