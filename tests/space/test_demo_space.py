from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from parcours.checkins.selectors import due_checkins
from parcours.space.demo import DEMO_BIRTH_DATE, DEMO_PHONE
from parcours.space.models import PersonSession, SpaceAccount, SpaceNotice

pytestmark = pytest.mark.django_db


def test_the_demo_opens_the_space_of_a_lille_person_with_the_readme_s_number(
    settings: Any, caplog: Any
) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", people=60)
    accounts = SpaceAccount.objects.filter(enabled=True).select_related("person__referent")
    assert 1 <= accounts.count() <= 3
    assert {a.person.referent.username for a in accounts} == {"cpip.demo"}
    star = accounts.get(person__phone=DEMO_PHONE).person
    assert star.birth_date == DEMO_BIRTH_DATE
    assert SpaceNotice.objects.filter(person=star).exists()
    call_command("seed_demo", people=60)
    assert SpaceAccount.objects.count() == accounts.count()
    # The README's walk: the code shows in the terminal (console provider).
    settings.PARCOURS_SMS_BACKEND = "console"
    client = Client()
    client.post("/espace/", {"identifier": "06 12 18 00 18", "birth_date": "1990-07-14"})
    line = next(r.getMessage() for r in caplog.records if "SMS (console)" in r.getMessage())
    code = line.split("est ")[1][:6]
    assert client.post("/espace/code/", {"code": code}).status_code == 302
    assert PersonSession.objects.filter(person=star).exists()
    assert client.get("/espace/rendez-vous/").status_code == 200
    # Issue 18, item 4: the demo person has a check-in to answer (README).
    today = timezone.localdate()
    assert due_checkins(star, today=today)
    assert "à faire" in client.get("/espace/accueil/").content.decode()
    assert "Envoyer mon contrôle" in client.get("/espace/controles/").content.decode()
