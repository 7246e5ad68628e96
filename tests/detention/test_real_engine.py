"""The detention record through the real sentence-date engine (rules.sentences.compute, issue 15
part 2): the adapter's case is one the engine accepts, its answer lands in the situation's
columns and on the person file, and the simulator shows the same answer."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from parcours.detention import services
from parcours.detention.models import SentenceSituation
from parcours.detention.situations import case_for, refresh
from parcours.rules.sentences import compute

from ..helpers import text
from .factories import prison

pytestmark = pytest.mark.django_db


def test_a_recorded_ecrou_gets_the_engine_dates_and_the_why(cast, clients):
    ecrou = services.create_ecrou(
        cast.cpip,
        cast.person,
        establishment=prison(cast.spip),
        number="R-1",
        start=date(2026, 9, 1),
    )
    services.add_sentence(cast.cpip, ecrou, years=2, definitive_on=date(2026, 10, 1))
    services.add_prior_custody(
        cast.cpip, ecrou, kind="detention_provisoire", start=date(2026, 3, 1), end=date(2026, 3, 11)
    )
    assert refresh([ecrou.pk]) == 1
    row = SentenceSituation.objects.get(ecrou=ecrou)
    expected = compute(case_for(ecrou, as_of=date(2027, 3, 16)))
    assert row.error == ""
    assert row.regime == expected.regime == "2023"
    assert row.release_date == expected.release_date
    assert row.lc_from == expected.lc_from
    assert row.result["release_date"] == expected.release_date.isoformat()
    page = text(clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id])))
    assert expected.release_date.strftime("%d/%m/%Y") in page
    assert "CPP art. 716-4" in page  # the deduction step of "Pourquoi ?"
    assert "Admissible à la libération conditionnelle à compter du" in page


def test_the_simulator_answers_with_the_engine(cast, clients):
    data = {
        "cas-birth_date": "1980-02-10",
        "cas-ecrou_date": "2026-09-01",
        "peine1-years": "3",
        "peine1-nature": "delit",
        "peine1-recidive": "on",
    }
    for i in range(1, 5):
        data.setdefault(f"peine{i}-nature", "delit")
        data.setdefault(f"rp{i}-kind", "rp")
    response = clients["jap"].post(reverse("detention:simulator"), data)
    assert response.status_code == 200, text(response)
    page = text(response)
    assert "<summary>Pourquoi ?</summary>" in page
    assert "CPP art. 729" in page
