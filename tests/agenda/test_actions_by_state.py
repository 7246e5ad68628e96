"""An appointment's page offers only the actions its state allows, each with its own form and
confirmation; the server refuses the others with a French message (issue 16, item 3)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.agenda.models import Appointment
from parcours.agenda.views.appointment import offered_actions
from parcours.rules.agenda import Action, AppointmentStatus
from tests.conftest import Cast
from tests.helpers import client_for

from .factories import make_appointment

pytestmark = pytest.mark.django_db

FORM = re.compile(r'<form[^>]*id="action-([a-z]+)"[^>]*data-confirm="([^"]+)"')


def page(cast: Cast, appointment: Appointment) -> str:
    response = client_for(cast.cpip).get(reverse("agenda:detail", args=[appointment.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def panel_forms(body: str) -> dict[str, str]:
    return dict(FORM.findall(body))


def test_a_future_appointment_offers_cancel_and_reschedule_only(cast: Cast) -> None:
    future = make_appointment(cast, starts_at=timezone.now() + timedelta(days=2))
    body = page(cast, future)
    forms = panel_forms(body)
    assert list(forms) == ["annuler"]
    assert forms["annuler"].startswith("Annuler ce rendez-vous ?")
    assert "Annuler le rendez-vous" in body
    assert "Honoré" not in body.split('id="actions-rdv"')[1]
    assert reverse("agenda:reschedule", args=[future.public_id]) in body
    assert 'name="reason" id="motif-annuler"' in body


def test_a_started_appointment_offers_the_three_results_each_confirmed(cast: Cast) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=1))
    body = page(cast, past)
    forms = panel_forms(body)
    assert list(forms) == ["honorer", "absent", "excuser"]
    assert len(set(forms.values())) == 3  # each its own confirmation
    assert "Saisir le résultat" in body
    assert "Annuler le rendez-vous" not in body
    assert reverse("agenda:reschedule", args=[past.public_id]) not in body


@pytest.mark.parametrize(
    ("status", "expected", "button"),
    [
        (AppointmentStatus.ABSENT, ["excuser", "corriger"], "Corriger : honoré"),
        (AppointmentStatus.HONORE, ["corriger"], "Corriger : absence non excusée"),
        (AppointmentStatus.EXCUSE, ["corriger"], "Corriger : absence non excusée"),
    ],
)
def test_a_recorded_result_offers_its_corrections(
    cast: Cast, status: AppointmentStatus, expected: list[str], button: str
) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(days=1), status=status)
    body = page(cast, past)
    assert list(panel_forms(body)) == expected
    assert button in body
    assert "Corriger le résultat" in body


@pytest.mark.parametrize("status", [AppointmentStatus.ANNULE, AppointmentStatus.REPORTE])
def test_a_closed_appointment_has_no_action_panel(cast: Cast, status: AppointmentStatus) -> None:
    appointment = make_appointment(
        cast, starts_at=timezone.now() + timedelta(days=1), status=status
    )
    body = page(cast, appointment)
    assert 'id="actions-rdv"' not in body
    assert reverse("agenda:reschedule", args=[appointment.public_id]) not in body


def test_offered_actions_follow_the_clock(cast: Cast) -> None:
    appointment = make_appointment(cast, starts_at=timezone.now() + timedelta(hours=1))
    before = appointment.starts_at - timedelta(minutes=1)
    after = appointment.starts_at + timedelta(minutes=1)
    assert offered_actions(appointment, before) == [Action.ANNULER]
    assert offered_actions(appointment, after) == [Action.HONORER, Action.ABSENT, Action.EXCUSER]


def test_an_action_the_state_does_not_allow_is_refused_in_french(cast: Cast) -> None:
    future = make_appointment(cast, starts_at=timezone.now() + timedelta(days=2))
    response = client_for(cast.cpip).post(
        reverse("agenda:outcome", args=[future.public_id]),
        {"version": future.version, "action": "honorer"},
    )
    assert response.status_code == 400
    assert "pas encore commencé" in response.content.decode()
    future.refresh_from_db()
    assert future.status == AppointmentStatus.PLANIFIE


def test_cancelling_needs_a_reason_then_closes_the_panel(cast: Cast) -> None:
    future = make_appointment(cast, starts_at=timezone.now() + timedelta(days=2))
    client = client_for(cast.cpip)
    url = reverse("agenda:outcome", args=[future.public_id])
    refused = client.post(url, {"version": future.version, "action": "annuler", "reason": " "})
    assert refused.status_code == 400
    assert "Indiquez le motif" in refused.content.decode()
    done = client.post(
        url, {"version": future.version, "action": "annuler", "reason": "Hospitalisation"}
    )
    assert done.status_code == 302
    future.refresh_from_db()
    assert future.status == AppointmentStatus.ANNULE
    assert 'id="actions-rdv"' not in page(cast, future)
