"""The person's answers to a convocation (agenda.services.record_reply): what is accepted, what
is refused, the journal, and what the CPIP sees and marks as seen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parcours.agenda import services
from parcours.agenda.models import AppointmentReply
from parcours.audit.models import AuditEvent
from parcours.core.errors import Refused
from parcours.rules.agenda import AppointmentStatus
from parcours.rules.vocabulary import ReplyAnswer, ReplyChannel
from tests.conftest import Cast

from .factories import make_appointment

pytestmark = pytest.mark.django_db


def test_a_confirmation_is_stored_and_journaled_without_a_staff_actor(cast: Cast) -> None:
    appointment = make_appointment(cast)
    reply = services.record_reply(
        appointment=appointment, answer=ReplyAnswer.CONFIRME, channel=ReplyChannel.SMS
    )
    assert services.latest_reply(appointment) == reply
    event = AuditEvent.objects.filter(object_id=str(appointment.public_id)).latest("pk")
    assert event.actor is None
    assert event.actor_username == "la personne (réponse par sms)"
    assert event.details["réponse"] == "Présence confirmée"
    assert event.person_public_id == cast.person.public_id


def test_cannot_come_needs_a_reason_from_the_space_but_not_by_sms(cast: Cast) -> None:
    appointment = make_appointment(cast)
    with pytest.raises(Refused, match="Indiquez pourquoi"):
        services.record_reply(
            appointment=appointment, answer="empeche", channel="espace", reason="  "
        )
    services.record_reply(
        appointment=appointment, answer="empeche", channel="sms", require_reason=False
    )
    assert AppointmentReply.objects.filter(appointment=appointment).count() == 1


@pytest.mark.parametrize(
    "status", [AppointmentStatus.ANNULE, AppointmentStatus.HONORE, AppointmentStatus.REPORTE]
)
def test_a_closed_appointment_takes_no_answer(cast: Cast, status: AppointmentStatus) -> None:
    appointment = make_appointment(cast, status=status)
    with pytest.raises(Refused, match="n'est plus prévu"):
        services.record_reply(appointment=appointment, answer="confirme", channel="espace")
    assert not AppointmentReply.objects.exists()


def test_an_appointment_already_started_takes_no_answer(cast: Cast) -> None:
    appointment = make_appointment(cast, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(Refused, match="déjà commencé"):
        services.record_reply(appointment=appointment, answer="confirme", channel="espace")


def test_the_cpip_sees_the_answer_and_marks_it_seen(cast: Cast, client: Client) -> None:
    appointment = make_appointment(cast)
    services.record_reply(
        appointment=appointment,
        answer="empeche",
        channel="espace",
        reason="Entretien d'embauche ce jour-là",
    )
    client.force_login(cast.cpip)
    page = client.get(reverse("agenda:detail", args=[appointment.public_id]))
    text = page.content.decode()
    assert "Ne peut pas venir" in text and "Entretien d&#x27;embauche ce jour-là" in text
    assert "Marquer la réponse comme vue" in text
    assert reverse("agenda:reschedule", args=[appointment.public_id]) in text
    answer = client.post(reverse("agenda:reply_seen", args=[appointment.public_id]))
    assert answer.status_code == 302
    reply = AppointmentReply.objects.get()
    assert reply.seen_by == cast.cpip and reply.seen_at is not None
    again = client.get(reverse("agenda:detail", args=[appointment.public_id])).content.decode()
    assert "Marquer la réponse comme vue" not in again
    assert f"vue par {cast.cpip.get_full_name()}" in again


def test_the_agenda_day_shows_each_appointment_s_latest_answer(cast: Cast, client: Client) -> None:
    from .factories import agenda_for

    agenda = agenda_for(cast)
    declined = make_appointment(cast)
    confirmed = make_appointment(cast, starts_at=declined.starts_at + timedelta(hours=1))
    silent = make_appointment(cast, starts_at=declined.starts_at + timedelta(hours=2))
    services.record_reply(appointment=declined, answer="confirme", channel="sms")
    services.record_reply(appointment=declined, answer="empeche", channel="espace", reason="Malade")
    services.record_reply(appointment=confirmed, answer="confirme", channel="espace")
    client.force_login(cast.cpip)
    day = declined.starts_at.astimezone(agenda.place.tz).date().isoformat()
    page = client.get(reverse("agenda:day"), {"agenda": agenda.pk, "day": day}).content.decode()
    rows = {
        a: page.split(str(a.public_id))[1].split("</tr>")[0] for a in (declined, confirmed, silent)
    }
    # The latest answer counts: the person first confirmed, then said they cannot come.
    assert 'fr-badge--warning">Ne peut pas venir' in rows[declined]
    assert "Présence confirmée" not in rows[declined]
    assert 'fr-badge--success">Présence confirmée' in rows[confirmed]
    assert "fr-badge" not in rows[silent]
