"""Issue 16: no "(e)" form on the main pages of a person whose sex is recorded (the person's
file, an appointment, the agenda day, the reception desk, a report), for a man and a woman; the
neutral form only when the sex is not recorded. The documents, SMS and e-mails have their own
check (tests/documents/test_document_check.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.rules.agenda import AppointmentStatus

from ..agenda.factories import make_appointment
from ..conftest import Cast
from ..helpers import client_for
from ..reports.factories import draft_report

pytestmark = pytest.mark.django_db

GENDER_MARK = re.compile(r"\w\(e\)")


def pages_of(cast: Cast, sex: str) -> dict[str, str]:
    person = cast.person
    person.sex = sex
    person.save(update_fields=["sex"])
    soon = make_appointment(
        cast,
        starts_at=timezone.now() + timedelta(minutes=5),
        arrived_at=timezone.now(),
        status=AppointmentStatus.PLANIFIE,
    )
    make_appointment(cast, starts_at=timezone.now() + timedelta(minutes=30))
    report = draft_report(person)
    day = soon.local_start.date().isoformat()
    cpip, secretariat = client_for(cast.cpip), client_for(cast.secretariat)
    urls = {
        "dossier": (cpip, reverse("people:detail", args=[person.public_id])),
        "rendez-vous": (cpip, reverse("agenda:detail", args=[soon.public_id])),
        "agenda du jour": (cpip, f"{reverse('agenda:day')}?day={day}"),
        "accueil": (secretariat, reverse("agenda:reception")),
        "rapport": (cpip, reverse("reports:detail", args=[report.public_id])),
        "rédaction": (cpip, reverse("reports:edit", args=[report.public_id])),
    }
    pages = {}
    for name, (client, url) in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


@pytest.mark.parametrize("sex", ["M", "F"])
def test_no_neutral_form_when_the_sex_is_recorded(cast: Cast, sex: str) -> None:
    for name, html in pages_of(cast, sex).items():
        assert GENDER_MARK.findall(html) == [], name
        assert "(s)" not in html, name


def test_the_neutral_form_stays_when_the_sex_is_not_recorded(cast: Cast) -> None:
    pages = pages_of(cast, "X")
    assert "Arrivé(e) à" in pages["accueil"] and "Attendu(e)" in pages["accueil"]
    assert "arrivé(e)" in pages["agenda du jour"]
