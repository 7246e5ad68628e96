"""The caseload's rows (built in Python by the `caseload_rows` tag) through the page itself."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parcours.measures.models import MeasureStatus

from .factories import MeasureFactory, PersonFactory, measure_type

pytestmark = pytest.mark.django_db


def row_of(html: str, needle: str) -> str:
    rows = [r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if needle in r]
    assert len(rows) == 1, html
    return rows[0]


def test_a_row_shows_the_file_link_identity_measures_badge_referent_and_antenna(cast, clients):
    person = PersonFactory(
        spip=cast.spip,
        antenna=cast.antenna,
        referent=cast.cpip,
        last_name="d'Arc <b>",
        first_names="Jeanne & Marie",
        appi_number="",
        compliance_status="en_retard",
    )
    MeasureFactory(person=person, status=MeasureStatus.SUSPENDUE)
    MeasureFactory(person=person, measure_type=measure_type("tig"), status=MeasureStatus.A_VENIR)
    html = clients["cpip"].get(reverse("people:caseload")).content.decode()
    row = row_of(html, reverse("people:detail", args=[person.public_id]))
    assert "D&#x27;ARC &lt;B&gt; Jeanne &amp; Marie</a>" in row
    assert f"<td>{person.birth_date:%d/%m/%Y}</td>" in row
    assert "<td>—</td>" in row  # no APPI number
    assert row.count('class="fr-tag fr-tag--sm fr-mr-1v"') == 2
    assert "(suspendue)</span>" in row and "(à venir)</span>" in row
    assert 'fr-badge--warning">En retard</span>' in row
    assert f"<td>{cast.cpip.get_full_name()}</td>" in row
    assert f"<td>{cast.antenna.name}</td>" in row


def test_a_row_without_referent_measures_or_status(cast, clients):
    person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=None, last_name="Zorn")
    html = clients["dpip"].get(reverse("people:caseload"), {"q": "zorn"}).content.decode()
    row = row_of(html, reverse("people:detail", args=[person.public_id]))
    assert "Non attribué</span>" in row
    assert row.count("<td>—</td>") >= 2  # measures and compliance
