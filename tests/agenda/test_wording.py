"""Words of the appointment's page: the local time is named by its place (« heure de Paris »,
« heure de La Réunion »), never by the zone's identifier; sending the report form again after
the report says the appointment was already moved and links to the new one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parcours.agenda.models import Appointment
from parcours.agenda.templatetags.agenda_words import zone_label
from tests.conftest import Cast
from tests.helpers import client_for

from .factories import agenda_for, appointment_type, make_appointment, next_open_day

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Europe/Paris", "heure de Paris"),
        ("Indian/Reunion", "heure de La Réunion"),
        ("America/Cayenne", "heure de Guyane"),
        ("Pacific/Noumea", "heure de Nouméa"),
        ("America/Port_of_Spain", "heure de Port of Spain"),
        ("Europe/Amsterdam", "heure d'Amsterdam"),
        ("America/Argentina/Buenos_Aires", "heure de Buenos Aires"),
        ("UTC", "heure UTC"),
    ],
)
def test_zone_label(zone: str, label: str) -> None:
    assert zone_label(zone) == label


@pytest.mark.parametrize(
    ("other", "label"), [(False, "(heure de Paris)"), (True, "(heure de La Réunion)")]
)
def test_the_appointment_page_names_the_local_time_in_french(
    cast: Cast, other: bool, label: str
) -> None:
    person = cast.other_person if other else cast.person
    appointment = make_appointment(cast, person=person)
    user = cast.cpip_autre if other else cast.cpip
    body = client_for(user).get(reverse("agenda:detail", args=[appointment.public_id]))
    text = body.content.decode()
    assert label in text
    assert "Europe/Paris" not in text and "Indian/Reunion" not in text


def _report_data(cast: Cast, appointment: Appointment) -> dict[str, object]:
    agenda = agenda_for(cast)
    day = next_open_day(agenda, days_ahead=10).astimezone(agenda.place.tz).date()
    return {
        "version": appointment.version,
        "reason": "Empêchement",
        "appointment_type": appointment_type().pk,
        "agenda": agenda.pk,
        "slot": "",
        "day": day.isoformat(),
        "start": "15:00",
        "duration": "45",
    }


def test_sending_the_report_form_again_says_it_was_already_moved(cast: Cast) -> None:
    appointment = make_appointment(cast)
    client = client_for(cast.cpip)
    url = reverse("agenda:reschedule", args=[appointment.public_id])
    data = _report_data(cast, appointment)
    assert client.post(url, data).status_code == 302
    new = Appointment.objects.get(pk=appointment.pk).rescheduled_to
    assert new is not None
    again = client.post(url, data)
    assert again.status_code == 400
    body = again.content.decode()
    assert "Impossible de passer un rendez-vous" not in body
    assert "Ce rendez-vous a déjà été reporté" in body
    assert reverse("agenda:detail", args=[new.public_id]) in body
    assert Appointment.objects.filter(person=cast.person).count() == 2
    # Coming back to the form (the browser's back button reads the page again) says it too.
    page = client.get(url)
    assert "Ce rendez-vous a déjà été reporté" in page.content.decode()
    assert reverse("agenda:detail", args=[new.public_id]) in page.content.decode()


def test_reporting_a_cancelled_appointment_says_it_is_cancelled(cast: Cast) -> None:
    appointment = make_appointment(cast, status="annule")
    response = client_for(cast.cpip).post(
        reverse("agenda:reschedule", args=[appointment.public_id]),
        _report_data(cast, appointment),
    )
    assert response.status_code == 400
    assert "Ce rendez-vous a été annulé" in response.content.decode()
