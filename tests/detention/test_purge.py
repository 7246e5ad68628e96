"""The retention purge takes the detention record with the incarceration periods (R57-4-4)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from parcours.detention.models import Ecrou, SentenceLine, SentenceSituation
from parcours.detention.situations import refresh
from parcours.lifecycle.purge import purge_expired
from parcours.people.models import Person

from ..lifecycle.test_purge import LAST_KEPT_END, TODAY, closed_file
from .factories import prison

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "engine")]


def test_an_expired_file_loses_its_detention_record(cast: Any) -> None:
    someone = closed_file(cast, LAST_KEPT_END - timedelta(days=1))
    kept = closed_file(cast, LAST_KEPT_END, appi_number="202012345679")
    for person, number in ((someone, "P-1"), (kept, "P-2")):
        ecrou = Ecrou.objects.create(
            person=person,
            establishment=prison(cast.spip),
            number=number,
            start=date(2020, 1, 1),
            released_on=date(2021, 1, 1),
        )
        SentenceLine.objects.create(ecrou=ecrou, rank=1, years=1)
        refresh([ecrou.pk])
    report = purge_expired(TODAY)
    assert not Ecrou.objects.filter(person=someone).exists()
    assert not SentenceSituation.objects.filter(person=someone).exists()
    assert Ecrou.objects.filter(person=kept).exists()
    assert report.totals["incarcerations"] >= 1
    # Nor the flag derived from it (Person.ever_detained) on the anonymised row.
    flags = dict(
        Person.objects.filter(pk__in=[someone.pk, kept.pk]).values_list("pk", "ever_detained")
    )
    assert flags == {someone.pk: False, kept.pk: True}
