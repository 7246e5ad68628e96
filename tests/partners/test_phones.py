"""Phone numbers are stored in E.164 and read in the French national format: the partner's
referral page and CSV export, and the places of the person's space (/espace/rendez-vous/; the
test sits here with the partner space's phones). The CSV keeps neutralising real formulas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parcours.partners.projection import csv_cell
from parcours.people.models import Person
from parcours.space.models import SpaceAccount
from tests.agenda.factories import make_appointment
from tests.notifications.fake_provider import FakeProvider
from tests.space.conftest import E164, signed_in_client

from ..conftest import Cast
from ..helpers import quiet, text
from .factories import make_referral

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def test_the_partner_reads_the_phone_in_the_french_way(cast: Cast) -> None:
    Person.objects.filter(pk=cast.person.pk).update(phone="+33612180018")
    referral = make_referral(cast)
    client = quiet(cast.partenaire)
    detail = text(client.get(reverse("partners:inbox_detail", args=[referral.public_id])))
    assert "06 12 18 00 18" in detail
    assert "+33612180018" not in detail
    export = client.get(reverse("partners:inbox_csv")).content.decode("utf-8-sig")
    assert ";06 12 18 00 18;" in export
    assert "+33612180018" not in export and "'+33" not in export


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("+33612180018", "+33612180018"),  # a phone number is no formula
        ("+33 6 12 18 00 18", "+33 6 12 18 00 18"),
        ("+1+SUM(A1:A2)", "'+1+SUM(A1:A2)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+", "'+"),
    ],
)
def test_the_export_tells_a_phone_from_a_formula(value: str, cell: str) -> None:
    assert csv_cell(value) == cell


@pytest.fixture
def space(cast: Cast, settings: Any) -> Iterator[Client]:
    """The cast person signed in to their space (the codes go to a fake SMS provider)."""
    provider = FakeProvider()
    try:
        settings.PARCOURS_SMS_BACKEND = "http"
        settings.PARCOURS_SMS_URL = provider.url
        settings.PARCOURS_SMS_TOKEN = "jeton-de-test"
        settings.PARCOURS_SMS_TIMEOUT = 2
        Person.objects.filter(pk=cast.person.pk).update(phone=E164)
        SpaceAccount.objects.create(person=cast.person, enabled=True)
        yield signed_in_client(provider)
    finally:
        provider.close()


def test_the_person_reads_the_places_phone_in_the_french_way(cast: Cast, space: Client) -> None:
    appointment = make_appointment(cast)
    assert appointment.place.phone == "+33320000000"
    page = text(space.get("/espace/rendez-vous/"))
    assert "03 20 00 00 00" in page
    assert "+33320000000" not in page
