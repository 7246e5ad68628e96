"""A filter shows the value being displayed, the defaults included (issue 16, item 5): the
agenda's day and agenda, the reception's place and day."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.helpers import client_for

from .factories import agenda_for, make_appointment, place_for

pytestmark = pytest.mark.django_db


def selected(body: str, name: str) -> str:
    """The value of the selected option of the select `name` ("" if none is selected)."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return option.group(1) if option else ""


def date_value(body: str, name: str) -> str:
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert field, name
    value = re.search(r'value="([^"]*)"', field.group(0))
    return value.group(1) if value else ""


def test_the_agenda_shows_its_default_day_and_agenda(cast: Cast) -> None:
    agenda = agenda_for(cast)
    body = client_for(cast.cpip).get(reverse("agenda:day")).content.decode()
    assert selected(body, "agenda") == str(agenda.pk)
    assert date_value(body, "day") == timezone.localdate().isoformat()


def test_the_agenda_shows_the_day_asked_with_the_default_agenda(cast: Cast) -> None:
    agenda = agenda_for(cast)
    day = timezone.localdate() + timedelta(days=3)
    body = client_for(cast.cpip).get(reverse("agenda:day"), {"day": day.isoformat()})
    text = body.content.decode()
    assert selected(text, "agenda") == str(agenda.pk)
    assert date_value(text, "day") == day.isoformat()


def test_the_reception_shows_its_default_place_and_day(cast: Cast) -> None:
    make_appointment(cast, starts_at=timezone.now() + timedelta(minutes=5))
    place = place_for(cast)
    body = client_for(cast.secretariat).get(reverse("agenda:reception")).content.decode()
    assert selected(body, "place") == str(place.pk)
    assert date_value(body, "day") == timezone.localdate().isoformat()


def test_a_bad_filter_is_still_a_400_with_the_submitted_values(cast: Cast) -> None:
    response = client_for(cast.cpip).get(reverse("agenda:day"), {"day": "2001-01-01"})
    assert response.status_code == 400
    assert "trois ans" in response.content.decode()
