from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .fake_provider import FakeProvider


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    provider = FakeProvider()
    try:
        yield provider
    finally:
        provider.close()


@pytest.fixture
def http_sms(settings: Any, fake: FakeProvider) -> FakeProvider:
    """SMS go to the fake provider over HTTP, with a short client timeout."""
    settings.PARCOURS_SMS_BACKEND = "http"
    settings.PARCOURS_SMS_URL = fake.url
    settings.PARCOURS_SMS_TOKEN = "jeton-de-test"
    settings.PARCOURS_SMS_TIMEOUT = 0.5
    settings.PARCOURS_SMS_MAX_ATTEMPTS = 6
    fake.delay = 1.5
    return fake


@pytest.fixture
def reachable(cast: Any) -> Any:
    """cast.person with a French mobile and an e-mail address."""
    person = cast.person
    person.phone = "+33612345678"
    person.email = "lucas.durand@example.org"
    person.save()
    return person
