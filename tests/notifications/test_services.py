"""The API used by the agenda: scheduling at booking, changes, cancellation, preview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parcours.agenda.models import Appointment, AppointmentType
from parcours.audit.models import AuditAction, AuditEvent
from parcours.notifications.models import Message, MessageTemplate, NotificationSettings
from parcours.notifications.services import (
    cancel_pending_for,
    notify_appointment_change,
    person_id_from_stop_token,
    preview_messages,
    schedule_appointment_messages,
    sms_possible,
    stop_token,
)
from parcours.rules.notifications import gsm_length
from tests.helpers import IMMEDIATE_TASKS

from .factories import make_appointment, make_place

pytestmark = pytest.mark.django_db


def in_days(days: int, hour: int = 13, minute: int = 30) -> datetime:
    day = timezone.now().date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_booking_writes_convocation_and_reminder(
    cast: Any, reachable: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appointment = make_appointment(reachable, in_days(6))
    with django_capture_on_commit_callbacks(execute=True):
        messages = schedule_appointment_messages(
            appointment, acting_user=cast.cpip, sms=True, email=True
        )
    assert sorted((m.role, m.channel) for m in messages) == [
        ("convocation", "email"),
        ("convocation", "sms"),
        ("rappel", "email"),
        ("rappel", "sms"),
    ]
    sms = Message.objects.get(role="convocation", channel="sms")
    assert sms.state == "programme"
    assert sms.recipient == "+33612345678"
    assert sms.spip == cast.spip
    assert sms.created_by == cast.cpip
    assert "/n/stop/" in sms.body
    assert gsm_length(sms.body) is not None and gsm_length(sms.body) <= 320
    # No appointment type (it can reveal the measure) in an SMS; it is in the e-mail.
    assert "Entretien de suivi" not in sms.body
    assert "Entretien de suivi" in Message.objects.get(role="convocation", channel="email").body
    rappel = Message.objects.get(role="rappel", channel="sms")
    # J-2 at 10:00 Paris time.
    local = rappel.send_at.astimezone(appointment.tz)
    assert (local.date(), local.hour, local.minute) == (
        appointment.local_start.date() - timedelta(days=2),
        10,
        0,
    )
    assert len({m.idempotency_key for m in messages}) == 4
    # One journal entry with the recipients; one queued task per message, the reminder deferred.
    event = AuditEvent.objects.get(action=AuditAction.CREATION, object_type="message")
    assert len(event.details["messages"]) == 4
    tasks = DBTaskResult.objects.filter(task_path__endswith="send_message_task")
    assert tasks.count() == 4
    deferred = tasks.get(args_kwargs__args=[rappel.pk])
    assert deferred.run_after == rappel.send_at


def test_reminder_j_minus_1_per_spip(cast: Any, reachable: Any) -> None:
    NotificationSettings.objects.create(spip=cast.spip, reminder_days_before=1, reminder_hour=18)
    appointment = make_appointment(reachable, in_days(6))
    schedule_appointment_messages(appointment, acting_user=cast.cpip, sms=True, email=False)
    local = Message.objects.get(role="rappel").send_at.astimezone(appointment.tz)
    assert local.date() == appointment.local_start.date() - timedelta(days=1)
    assert local.hour == 18


def test_reunion_appointment_uses_the_reunion_zone(cast: Any) -> None:
    person = cast.other_person
    person.phone = "0692123456"
    person.save()
    place = make_place(cast.other_spip, name="Antenne de Saint-Denis", postal_code="97400")
    appointment = make_appointment(person, in_days(6, hour=10), place=place, agent=cast.cpip_autre)
    schedule_appointment_messages(appointment, acting_user=cast.cpip_autre, sms=True, email=False)
    convocation = Message.objects.get(person=person, role="convocation")
    assert convocation.recipient == "+262692123456"
    assert "à 14h30" in convocation.body  # 10:30 UTC = 14:30 in La Réunion
    rappel = Message.objects.get(person=person, role="rappel")
    assert rappel.send_at.astimezone(UTC).hour == 6  # 10:00 in La Réunion


def test_close_appointment_has_no_reminder(cast: Any, reachable: Any) -> None:
    appointment = make_appointment(reachable, timezone.now() + timedelta(hours=20))
    messages = schedule_appointment_messages(
        appointment, acting_user=cast.cpip, sms=True, email=False
    )
    assert [m.role for m in messages] == ["convocation"]


def test_nothing_is_written_when_sms_is_impossible(cast: Any) -> None:
    appointment = make_appointment(cast.person, in_days(6))
    assert (
        schedule_appointment_messages(appointment, acting_user=cast.cpip, sms=True, email=True)
        == []
    )
    assert not Message.objects.exists()
    assert not AuditEvent.objects.filter(object_type="message").exists()


def test_preview_of_an_unsaved_appointment(cast: Any, reachable: Any) -> None:
    place = make_place(cast.spip)
    unsaved = Appointment(
        person=reachable,
        place=place,
        appointment_type=AppointmentType.objects.get(code="suivi"),
        starts_at=in_days(6),
        ends_at=in_days(6) + timedelta(minutes=45),
    )
    previews = preview_messages(unsaved, sms=True, email=False)
    assert [(p.role, p.channel, p.problem) for p in previews] == [
        ("convocation", "sms", None),
        ("rappel", "sms", None),
    ]
    assert previews[0].local_send_at == "immédiatement"
    assert previews[1].local_send_at.endswith("à 10h00")
    assert previews[1].send_at is not None and previews[1].send_at.tzinfo is not None
    assert previews[0].recipient == "+33612345678"
    assert not Message.objects.exists()


def test_preview_explains_why_nothing_is_sent(cast: Any) -> None:
    place = make_place(cast.spip)
    unsaved = Appointment(
        person=cast.person,
        place=place,
        appointment_type=AppointmentType.objects.get(code="suivi"),
        starts_at=in_days(6),
        ends_at=in_days(6),
    )
    assert {p.problem for p in preview_messages(unsaved, sms=True, email=True)} == {
        "Numéro de portable absent",
        "Adresse électronique absente",
    }
    cast.person.phone = "+33612345678"
    cast.person.refuses_sms = True
    problems = {p.problem for p in preview_messages(unsaved, sms=True, email=False)}
    assert problems == {"La personne a refusé les SMS"}
    unsaved.starts_at = timezone.now() + timedelta(hours=3)
    cast.person.refuses_sms = False
    previews = preview_messages(unsaved, sms=True, email=False)
    assert previews[1].problem.startswith("Rendez-vous trop proche")


@pytest.mark.parametrize(
    ("phone", "no_phone", "refuses", "expected"),
    [
        ("+33612345678", False, False, None),
        ("+262692123456", False, False, None),
        ("+594694201234", False, False, None),
        ("", False, False, "Numéro de portable absent"),
        ("", True, False, "Numéro de portable absent"),
        ("+33612345678", False, True, "La personne a refusé les SMS"),
    ],
)
def test_sms_possible(
    cast: Any, phone: str, no_phone: bool, refuses: bool, expected: str | None
) -> None:
    person = cast.person
    person.phone, person.no_phone, person.refuses_sms = phone, no_phone, refuses
    assert sms_possible(person) == expected


def test_sms_possible_refuses_a_landline(cast: Any) -> None:
    cast.person.phone = "+33320123456"
    assert sms_possible(cast.person).startswith("Numéro de portable invalide")


def test_cancellation_cancels_pending_messages_and_notifies(cast: Any, reachable: Any) -> None:
    appointment = make_appointment(reachable, in_days(6))
    schedule_appointment_messages(appointment, acting_user=cast.cpip, sms=True, email=False)
    Message.objects.filter(role="convocation").update(state="envoye")
    created = notify_appointment_change(
        appointment, "annulation", acting_user=cast.cpip, sms=True, email=False
    )
    assert [(m.role, m.state) for m in created] == [("annulation", "programme")]
    assert Message.objects.get(role="rappel").state == "annule"
    assert Message.objects.get(role="convocation").state == "envoye"
    assert "annulé" in created[0].body


def test_absence_does_not_cancel(cast: Any, reachable: Any) -> None:
    appointment = make_appointment(reachable, in_days(6))
    schedule_appointment_messages(appointment, acting_user=cast.cpip, sms=True, email=False)
    notify_appointment_change(appointment, "absence", acting_user=cast.cpip, sms=True, email=False)
    assert Message.objects.get(role="rappel").state == "programme"
    assert Message.objects.filter(role="absence").count() == 1


def test_report_without_channels_only_cancels(cast: Any, reachable: Any) -> None:
    appointment = make_appointment(reachable, in_days(6))
    schedule_appointment_messages(appointment, acting_user=cast.cpip, sms=True, email=False)
    assert (
        notify_appointment_change(
            appointment, "report", acting_user=cast.cpip, sms=False, email=False
        )
        == []
    )
    assert set(Message.objects.values_list("state", flat=True)) == {"annule"}
    assert cancel_pending_for(appointment) == 0


def test_unknown_change_role_is_refused(cast: Any, reachable: Any) -> None:
    appointment = make_appointment(reachable, in_days(6))
    with pytest.raises(ValueError):
        notify_appointment_change(
            appointment, "rappel", acting_user=cast.cpip, sms=True, email=False
        )


def test_spip_template_is_used(cast: Any, reachable: Any) -> None:
    MessageTemplate.objects.create(
        spip=cast.spip, role="convocation", channel="sms", body="RDV {date} {heure}. STOP {stop}"
    )
    MessageTemplate.objects.create(
        spip=cast.other_spip, role="convocation", channel="sms", body="AUTRE {stop}"
    )
    appointment = make_appointment(reachable, in_days(6))
    schedule_appointment_messages(appointment, acting_user=cast.cpip, sms=True, email=False)
    assert Message.objects.get(role="convocation").body.startswith("RDV ")


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_immediate_queue_sends_due_messages_after_commit(
    cast: Any, reachable: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appointment = make_appointment(reachable, in_days(6))
    with django_capture_on_commit_callbacks(execute=True):
        schedule_appointment_messages(appointment, acting_user=cast.cpip, sms=True, email=False)
    assert Message.objects.get(role="convocation").state == "envoye"  # console backend
    assert Message.objects.get(role="rappel").state == "programme"


def test_stop_token_round_trip_and_tampering(cast: Any) -> None:
    token = stop_token(cast.person)
    assert person_id_from_stop_token(token) == cast.person.public_id
    assert len(token) < 80
    value, signature = token.split(":")
    # Change one leading character (the last one of base64 may carry only padding bits).
    other = "B" if signature[0] != "B" else "C"
    assert person_id_from_stop_token(f"{value}:{other}{signature[1:]}") is None
    other = "B" if value[0] != "B" else "C"
    assert person_id_from_stop_token(f"{other}{value[1:]}:{signature}") is None
    assert person_id_from_stop_token("nimportequoi") is None
    assert person_id_from_stop_token("") is None


def test_default_texts_are_valid_and_in_the_gsm_alphabet() -> None:
    from parcours.notifications.services import default_templates
    from parcours.rules.notifications import MessageRole, template_problems

    texts = default_templates()
    for role in MessageRole:
        for channel in ("sms", "email"):
            subject, body = texts[(role.value, channel)]
            assert template_problems(body, channel) == [], (role, channel)
            if channel == "sms":
                assert gsm_length(body) is not None and gsm_length(body) <= 200, role
            else:
                assert subject, role
