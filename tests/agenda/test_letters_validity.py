"""A convocation letter is valid only while its appointment stands: a cancelled or rescheduled
appointment shows no letter link, and its letter URL answers a French page, not the letter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from parcours.agenda import services
from parcours.agenda.models import Appointment
from parcours.audit.models import AuditEvent
from parcours.rules.agenda import Action, AppointmentStatus
from tests.conftest import Cast
from tests.helpers import client_for

from .factories import make_appointment
from .test_services import request_for

pytestmark = pytest.mark.django_db


def _letter_urls(appointment: Appointment) -> list[str]:
    return [reverse("agenda:letter", args=[appointment.public_id, fmt]) for fmt in ("pdf", "docx")]


def test_a_planned_appointment_serves_its_letters(cast: Cast) -> None:
    appointment = make_appointment(cast)
    client = client_for(cast.cpip)
    detail = client.get(reverse("agenda:detail", args=[appointment.public_id])).content.decode()
    for url in _letter_urls(appointment):
        assert url in detail
        assert client.get(url).status_code == 200


def test_a_cancelled_appointment_has_no_valid_letter(cast: Cast) -> None:
    appointment = make_appointment(cast)
    services.record_outcome(
        acting_user=cast.cpip, appointment=appointment, action=Action.ANNULER, reason="Erreur"
    )
    client = client_for(cast.cpip)
    detail = client.get(reverse("agenda:detail", args=[appointment.public_id])).content.decode()
    assert "Convocation (PDF)" not in detail and "Convocation (DOCX)" not in detail
    for url in _letter_urls(appointment):
        assert url not in detail
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert "Cette convocation n&#x27;est plus valable : le rendez-vous est annulé." in body
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_rescheduled_appointment_points_to_the_new_letter(cast: Cast) -> None:
    first = make_appointment(cast)
    new = services.reschedule(
        acting_user=cast.cpip,
        appointment=first,
        req=request_for(cast, first.starts_at + timedelta(days=7)),
        reason="Demande de la personne",
    )
    first.refresh_from_db()
    assert first.status == AppointmentStatus.REPORTE
    client = client_for(cast.cpip)
    detail = client.get(reverse("agenda:detail", args=[first.public_id])).content.decode()
    for url in _letter_urls(first):
        assert url not in detail
        response = client.get(url)
        assert response.status_code == 404
        body = response.content.decode()
        assert "Cette convocation n&#x27;est plus valable : le rendez-vous a été reporté." in body
        assert reverse("agenda:detail", args=[new.public_id]) in body
    new_detail = client.get(reverse("agenda:detail", args=[new.public_id])).content.decode()
    assert all(url in new_detail for url in _letter_urls(new))


def test_an_unknown_format_is_still_a_404(cast: Cast) -> None:
    appointment = make_appointment(cast)
    url = reverse("agenda:letter", args=[appointment.public_id, "exe"])
    assert client_for(cast.cpip).get(url).status_code == 404
