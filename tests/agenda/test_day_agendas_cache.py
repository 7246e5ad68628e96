"""The day page's agenda select is cached per SPIP (agenda.selectors.listed_day_agendas): a
second opening reads no agenda, and any change of an agenda or a place shows at once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.agenda.models import Agenda
from parcours.agenda.selectors import forget_day_agendas
from tests.conftest import Cast
from tests.helpers import client_for

from .factories import agenda_for, place_for

pytestmark = pytest.mark.django_db


def options(client) -> list[str]:
    body = client.get(reverse("agenda:day")).content.decode()
    select = re.search(r'<select[^>]*name="agenda"[^>]*>(.*?)</select>', body, re.S)
    assert select
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))[1:]  # after "Choisir…"


def test_the_second_opening_reads_no_agenda(cast: Cast) -> None:
    agenda_for(cast)
    client = client_for(cast.secretariat)
    url = reverse("agenda:day")
    client.get(url)  # the session's first request stores "last seen"
    forget_day_agendas()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    reads = [['FROM "agenda_agenda"' in q["sql"] for q in ctx] for ctx in (cold, warm)]
    assert any(reads[0]) and not any(reads[1])
    assert len(warm) == len(cold) - 1


def test_a_new_renamed_or_closed_agenda_shows_at_once(cast: Cast) -> None:
    mine = agenda_for(cast)
    client = client_for(cast.secretariat)
    assert options(client) == [mine.label]
    other = Agenda.objects.create(place=place_for(cast), agent=None, label="Salle collective")
    assert sorted(options(client)) == sorted([mine.label, "Salle collective"])
    other.label = "Salle des ateliers"
    other.save()
    assert "Salle des ateliers" in options(client)
    other.is_active = False
    other.save()
    assert options(client) == [mine.label]


def test_a_cpip_sees_only_their_own_agenda_even_cached(cast: Cast) -> None:
    mine, theirs = agenda_for(cast), agenda_for(cast, cast.cpip2)
    assert sorted(options(client_for(cast.secretariat))) == sorted([mine.label, theirs.label])
    assert options(client_for(cast.cpip)) == [mine.label]
    assert options(client_for(cast.cpip2)) == [theirs.label]
