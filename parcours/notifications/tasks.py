"""Delivery of the outbox: the task that sends one message, the queueing after commit
(`dispatch`), the send itself and the cron catch-up (django-tasks; the database backend runs the
task in `db_worker`).

A temporary failure queues the message again from here, so the task, what it runs and the
queueing live in this one module; `services` (which writes the messages) imports it, never the
other way round.

Sending (`send_message`) is idempotent: only a "programmé" message that is due is claimed, under a
row lock (PostgreSQL: `select_for_update(skip_locked=True)`), for a lease; the provider is called
after that short transaction has committed (never inside a transaction: issue 14, finding 2) and
receives the message's idempotency key, so a retry after a lost answer or a killed worker is not
delivered twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

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


def lease() -> timedelta:
    """How long a claimed message stays reserved for the worker that claimed it. A worker killed
    during the provider call leaves the message "programmé"; once the lease is over it is due
    again and sent with the same idempotency key (the provider de-duplicates)."""
    timeout = float(settings.PARCOURS_SMS_TIMEOUT)
    return timedelta(seconds=max(float(settings.PARCOURS_SMS_LEASE_SECONDS), 3 * timeout))


def _retry_later(message: Message, at: datetime | None, error: str) -> str:
    message.next_attempt_at = at
    message.last_error = error[:500]
    message.save(update_fields=["attempts", "next_attempt_at", "last_error", "updated_at"])
    dispatch([message])
    return "nouvel essai"


def _claim(pk: int, now: datetime) -> Message | str:
    """First short transaction: checks the message is still due and reserves it (one more
    attempt, next_attempt_at pushed to the end of the lease). Returns the message, or what
    happened when there is nothing to send."""
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
        message.next_attempt_at = now + lease()
        message.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
    return message


def _outcome_of_send(message: Message, now: datetime) -> Callable[[Message], str]:
    """The provider call, outside any transaction and without any lock (issue 14, finding 2: a
    provider that hangs must not hold the database). Returns how to record the result."""
    try:
        result = provider_for(message.channel).send(message)
    except PermanentProviderError as error:
        text = str(error)
        return lambda row: _finish(row, MessageState.ECHOUE, text)
    except TemporaryProviderError as error:
        text, retry_after = str(error), error.retry_after

        def temporary(row: Message) -> str:
            outcome = after_temporary_failure(
                row.attempts,
                now,
                max_attempts=settings.PARCOURS_SMS_MAX_ATTEMPTS,
                retry_after=retry_after,
            )
            if outcome.state is MessageState.ECHOUE:
                return _finish(
                    row, MessageState.ECHOUE, f"{text} ({row.attempts} tentatives, abandon)."
                )
            return _retry_later(row, outcome.next_attempt_at, text)

        return temporary
    except Exception as error:  # a bug or a misconfiguration: retried like a temporary error
        logger.exception("Envoi du message %s", message.pk)
        text = f"Erreur interne : {error}"

        def internal(row: Message) -> str:
            outcome = after_temporary_failure(
                row.attempts, now, max_attempts=settings.PARCOURS_SMS_MAX_ATTEMPTS
            )
            if outcome.state is MessageState.PROGRAMME:
                return _retry_later(row, outcome.next_attempt_at, text)
            return _finish(row, MessageState.ECHOUE, text)

        return internal

    def accepted(row: Message) -> str:
        row.provider_message_id = result.provider_message_id
        row.sent_at = now
        if result.delivered:
            row.delivered_at = now
            return _finish(row, MessageState.DELIVRE, "")
        return _finish(row, MessageState.ENVOYE, "")

    return accepted


def send_message(pk: int, *, now: datetime | None = None) -> str:
    """Sends one due message; returns what happened ("envoye", "delivre", "nouvel essai",
    "echoue", "annule", or "ignore" when not programmé, not due, or locked by another worker).

    Three steps, never an external call inside a transaction: claim (short transaction), the
    provider call (no transaction, the provider's own timeout), the result (short transaction)."""
    now = now or timezone.now()
    claimed = _claim(pk, now)
    if isinstance(claimed, str):
        return claimed
    record_outcome = _outcome_of_send(claimed, now)
    with transaction.atomic():
        row = (
            Message.objects.select_for_update(of=("self",))
            .select_related("person", "appointment")
            .filter(pk=pk)
            .first()
        )
        if row is None or row.state != MessageState.PROGRAMME:
            # Cancelled by the staff (or finished by another worker after the lease) meanwhile.
            logger.warning("Message %s changé pendant son envoi : résultat non enregistré", pk)
            return "ignore"
        return record_outcome(row)


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
