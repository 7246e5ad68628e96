"""The outbox against a real (fake) HTTP provider: down, slow, 500, 429, 400, then recovery.

The booking-side call always succeeds; the send is retried with backoff and the SMS is delivered
exactly once (the provider de-duplicates by Idempotency-Key)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parcours.notifications.models import Message
from parcours.notifications.services import schedule_appointment_messages
from parcours.notifications.tasks import send_due_messages, send_message, send_message_task

from ..helpers import client_for
from .factories import make_appointment

pytestmark = pytest.mark.django_db


def book(cast: Any, person: Any, **kwargs: Any) -> list[Message]:
    appointment = make_appointment(person, timezone.now() + timedelta(days=5))
    with transaction.atomic():
        return schedule_appointment_messages(
            appointment, acting_user=cast.cpip, sms=True, email=kwargs.get("email", False)
        )


def convocation(person: Any) -> Message:
    return Message.objects.get(person=person, role="convocation", channel="sms")


@pytest.mark.parametrize("mode", ["down", "slow", "500", "429"])
def test_provider_failure_then_recovery_delivers_exactly_once(
    cast: Any, reachable: Any, http_sms: Any, mode: str
) -> None:
    http_sms.set_mode(mode)
    http_sms.retry_after = "600"
    created = book(cast, reachable)
    # The booking succeeded: both messages wait in the outbox.
    assert {(m.role, m.state) for m in created} == {
        ("convocation", "programme"),
        ("rappel", "programme"),
    }
    message = convocation(reachable)
    now = timezone.now()

    assert send_due_messages(now=now) == {"nouvel essai": 1}
    message.refresh_from_db()
    assert message.state == "programme"
    assert message.attempts == 1
    assert message.last_error
    expected_delay = timedelta(seconds=600) if mode == "429" else timedelta(minutes=1)
    assert message.next_attempt_at == now + expected_delay
    # Not due yet: nothing is sent.
    assert send_due_messages(now=now + expected_delay - timedelta(seconds=1)) == {}

    # Still failing: the delay doubles (1 → 2 minutes; a Retry-After longer than that wins).
    later = message.next_attempt_at
    assert send_due_messages(now=later) == {"nouvel essai": 1}
    message.refresh_from_db()
    assert message.attempts == 2
    second_delay = timedelta(seconds=600) if mode == "429" else timedelta(minutes=2)
    assert message.next_attempt_at == later + second_delay

    http_sms.set_mode("ok")
    assert send_due_messages(now=message.next_attempt_at) == {"delivre": 1}
    message.refresh_from_db()
    assert message.state == "delivre"
    assert message.attempts == 3
    assert message.provider_message_id.startswith("fake-")
    assert message.sent_at is not None
    # Sending again never re-sends.
    assert send_message(message.pk, now=timezone.now() + timedelta(hours=1)) == "ignore"
    assert send_due_messages(now=message.next_attempt_at or timezone.now()) == {}
    delivered_keys = [
        key for key, value in http_sms.deliveries.items() if value["data"]["to"] == "+33612345678"
    ]
    assert delivered_keys == [str(message.idempotency_key)]
    # Every request carried the same idempotency key and the bearer token.
    mine = [r for r in http_sms.requests if r["key"] == str(message.idempotency_key)]
    assert all(r["authorization"] == "Bearer jeton-de-test" for r in mine)
    if mode == "slow":
        # The slow provider had already delivered the first try: the retries were de-duplicated.
        assert len(mine) == 3
        assert len(http_sms.deliveries) == 1
    if mode == "down":
        assert len(mine) == 1  # the provider saw only the successful try


def test_permanent_error_fails_at_once_and_is_shown_to_staff(
    cast: Any, reachable: Any, http_sms: Any
) -> None:
    http_sms.set_mode("400")
    book(cast, reachable)
    message = convocation(reachable)
    assert send_due_messages(now=timezone.now()) == {"echoue": 1}
    message.refresh_from_db()
    assert message.state == "echoue"
    assert message.attempts == 1
    assert "refusé par le prestataire (400)" in message.last_error
    response = client_for(cast.dpip).get(reverse("notifications:outbox"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 message en échec" in body
    assert "Échoué" in body
    # Failed first.
    table = body[body.index("<tbody") :]
    assert table.index("Échoué") < table.index("Programmé")


def test_last_attempt_marks_the_message_failed(
    cast: Any, reachable: Any, http_sms: Any, settings: Any
) -> None:
    settings.PARCOURS_SMS_MAX_ATTEMPTS = 2
    http_sms.set_mode("500")
    book(cast, reachable)
    message = convocation(reachable)
    assert send_due_messages(now=timezone.now()) == {"nouvel essai": 1}
    message.refresh_from_db()
    assert send_due_messages(now=message.next_attempt_at) == {"echoue": 1}
    message.refresh_from_db()
    assert message.state == "echoue"
    assert message.attempts == 2
    assert "abandon" in message.last_error


def test_the_task_sends_one_due_message(cast: Any, reachable: Any, http_sms: Any) -> None:
    book(cast, reachable)
    message = convocation(reachable)
    assert send_message_task.call(message.pk) == "delivre"
    assert send_message_task.call(message.pk) == "ignore"
    assert len(http_sms.deliveries) == 1


def test_reminder_is_not_sent_before_its_time(cast: Any, reachable: Any, http_sms: Any) -> None:
    book(cast, reachable)
    rappel = Message.objects.get(role="rappel")
    assert send_message(rappel.pk) == "ignore"
    assert send_due_messages(now=rappel.send_at) == {"delivre": 2}  # convocation and rappel
    assert len(http_sms.deliveries) == 2


def test_a_reminder_of_a_past_appointment_is_cancelled(
    cast: Any, reachable: Any, http_sms: Any
) -> None:
    book(cast, reachable)
    rappel = Message.objects.get(role="rappel")
    after = rappel.appointment.starts_at + timedelta(minutes=1)
    Message.objects.filter(pk=rappel.pk).update(next_attempt_at=after)
    send_due_messages(now=after)
    rappel.refresh_from_db()
    assert rappel.state == "annule"
    assert http_sms.requests == [] or all(
        r["key"] != str(rappel.idempotency_key) for r in http_sms.requests
    )


def test_emails_go_through_django_mail(cast: Any, reachable: Any, http_sms: Any) -> None:
    book(cast, reachable, email=True)
    email = Message.objects.get(role="convocation", channel="email")
    assert send_message(email.pk) == "envoye"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["lucas.durand@example.org"]
    assert sent.subject.startswith("Convocation au SPIP le ")
    assert "Entretien de suivi SPIP" in sent.body
    assert sent.extra_headers["X-Parcours-Idempotency-Key"] == str(email.idempotency_key)


def test_file_backend_appends_json_lines(
    cast: Any, reachable: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PARCOURS_SMS_BACKEND = "file"
    settings.VAR_DIR = tmp_path
    book(cast, reachable)
    assert send_due_messages(now=timezone.now()) == {"envoye": 1}
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert '"to": "+33612345678"' in lines[0]


def test_sending_locks_the_row_and_skips_locked_ones(
    cast: Any, reachable: Any, settings: Any
) -> None:
    """On PostgreSQL two workers never send the same message: the row is locked FOR UPDATE
    SKIP LOCKED while it is sent (SQLite has one writer at a time and no row locks)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    book(cast, reachable)
    message = convocation(reachable)
    with CaptureQueriesContext(connection) as ctx:
        assert send_message(message.pk) == "envoye"  # console backend
    if connection.features.has_select_for_update_skip_locked:
        assert any("SKIP LOCKED" in q["sql"] for q in ctx.captured_queries)


def test_catch_up_command(cast: Any, reachable: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    book(cast, reachable)
    out = StringIO()
    call_command("send_due_messages", stdout=out)
    assert out.getvalue().strip() == "1 message traité — envoye : 1."
    out = StringIO()
    call_command("send_due_messages", stdout=out)
    assert out.getvalue().strip() == "0 message traité."


def test_retry_after_header_forms() -> None:
    from email.utils import format_datetime

    from parcours.notifications.providers import _retry_after

    assert _retry_after("120") == 120
    assert _retry_after(" 0 ") == 0
    assert _retry_after(None) is None
    assert _retry_after("bientôt") is None
    soon = format_datetime(timezone.now() + timedelta(minutes=5), usegmt=True)
    assert 200 < (_retry_after(soon) or 0) <= 300
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0


def test_http_provider_refuses_other_schemes() -> None:
    from parcours.notifications.providers import HttpProvider

    for url in ("", "file:///etc/passwd", "ftp://example.org"):
        with pytest.raises(ValueError):
            HttpProvider(url)


def test_misconfigured_backend_is_retried_not_lost(
    cast: Any, reachable: Any, settings: Any
) -> None:
    settings.PARCOURS_SMS_BACKEND = "pigeon"
    book(cast, reachable)
    message = convocation(reachable)
    assert send_due_messages(now=timezone.now()) == {"nouvel essai": 1}
    message.refresh_from_db()
    assert message.state == "programme"
    assert "PARCOURS_SMS_BACKEND inconnu" in message.last_error
