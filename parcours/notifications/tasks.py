"""Delivery of the outbox: the task that sends one message, the queueing after commit
(`dispatch`), the send itself and the cron catch-up (django-tasks; the database backend runs the
task in `db_worker`).

A temporary failure queues the message again from here, so the task, what it runs and the
queueing live in this one module; `services` (which writes the messages) imports it, never the
other way round.

Sending (`send_message`) is idempotent: only a "programmé" message that is due is sent, under a
row lock (PostgreSQL: `select_for_update(skip_locked=True)`), and the provider receives the
message's idempotency key, so a retry after a lost answer is not delivered twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from parcours.rules.notifications import (
    Channel,
    MessageState,
    after_temporary_failure,
    check_move,
    is_stale,
)

from .models import Message
from .providers import PermanentProviderError, TemporaryProviderError, provider_for

logger = logging.getLogger("parcours.notifications")


@task()
def send_message_task(message_id: int) -> str:
    """Sends one message of the outbox when it is due (queued with run_after = its send time)."""
    return send_message(message_id)


def dispatch(messages: Sequence[Message]) -> None:
    """After commit, queues one task per message to run at its time (`run_after`). A queue that
    cannot defer (ImmediateBackend) gets the due ones only; `send_due_messages` catches up."""
    items = [(m.pk, m.next_attempt_at) for m in messages if m.next_attempt_at is not None]
    if not items:
        return

    def enqueue() -> None:
        now = timezone.now()
        for pk, when in items:
            try:
                queued = send_message_task
                if when > now:
                    if not queued.get_backend().supports_defer:
                        continue
                    queued = queued.using(run_after=when)
                queued.enqueue(pk)
            except Exception:  # the outbox row exists: send_due_messages will send it
                logger.exception("Mise en file du message %s impossible", pk)

    transaction.on_commit(enqueue)


def _locked(pk: int) -> Message | None:
    qs = Message.objects.select_related("person", "appointment")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.filter(pk=pk, state=MessageState.PROGRAMME).first()


def _retry_later(message: Message, at: datetime | None, error: str) -> str:
    message.next_attempt_at = at
    message.last_error = error[:500]
    message.save(update_fields=["attempts", "next_attempt_at", "last_error", "updated_at"])
    dispatch([message])
    return "nouvel essai"


def send_message(pk: int, *, now: datetime | None = None) -> str:
    """Sends one due message; returns what happened ("envoye", "delivre", "nouvel essai",
    "echoue", "annule", or "ignore" when not programmé, not due, or locked by another worker)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = _locked(pk)
        if message is None:
            return "ignore"
        if message.next_attempt_at is None or message.next_attempt_at > now:
            return "ignore"
        starts_at = message.appointment.starts_at if message.appointment else None
        if is_stale(message.role, starts_at, now):
            return _finish(message, MessageState.ANNULE, "Le rendez-vous est passé.")
        if message.channel == Channel.SMS and message.person.refuses_sms:
            return _finish(message, MessageState.ANNULE, "La personne a refusé les SMS.")
        message.attempts += 1
        try:
            result = provider_for(message.channel).send(message)
        except PermanentProviderError as error:
            return _finish(message, MessageState.ECHOUE, str(error))
        except TemporaryProviderError as error:
            outcome = after_temporary_failure(
                message.attempts,
                now,
                max_attempts=settings.PARCOURS_SMS_MAX_ATTEMPTS,
                retry_after=error.retry_after,
            )
            if outcome.state is MessageState.ECHOUE:
                return _finish(
                    message,
                    MessageState.ECHOUE,
                    f"{error} ({message.attempts} tentatives, abandon).",
                )
            return _retry_later(message, outcome.next_attempt_at, str(error))
        except Exception as error:  # a bug or a misconfiguration: retried like a temporary error
            logger.exception("Envoi du message %s", pk)
            outcome = after_temporary_failure(
                message.attempts, now, max_attempts=settings.PARCOURS_SMS_MAX_ATTEMPTS
            )
            if outcome.state is MessageState.PROGRAMME:
                return _retry_later(message, outcome.next_attempt_at, f"Erreur interne : {error}")
            return _finish(message, MessageState.ECHOUE, f"Erreur interne : {error}")
        message.provider_message_id = result.provider_message_id
        message.sent_at = now
        if result.delivered:
            message.delivered_at = now
            return _finish(message, MessageState.DELIVRE, "")
        return _finish(message, MessageState.ENVOYE, "")


def _finish(message: Message, target: MessageState, error: str) -> str:
    check_move(message.state, target)
    message.state = target.value
    message.next_attempt_at = None
    message.last_error = error[:500]
    message.save()
    return target.value


def send_due_messages(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Catch-up: sends every due message (oldest first). Safe to run from cron while workers
    run: each message is sent under its own row lock (skip_locked) and only if still due."""
    now = now or timezone.now()
    ids = list(
        Message.objects.due(now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for pk in ids:
        outcome = send_message(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
