"""Finding 2 (issue 14): a hanging SMS provider must not hold the database's write lock.

The provider is called after the outbox row is committed, outside any transaction; its answer is
recorded in a short transaction of its own. Two real connections (threads): the sender is stuck
in the provider's `send` while the other thread saves a note; the save must not wait for the
provider (before the fix, on SQLite, it waited up to the busy timeout or failed with "database is
locked" and the note was lost).
"""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

from django.db import connection

from parcours.accounts.models import OrganisationKind
from parcours.notes.models import Note
from parcours.notes.sanitize import body_fields
from parcours.notifications import tasks
from parcours.notifications.models import Message
from parcours.notifications.providers import ProviderResult

from ..factories import OrganisationFactory, PersonFactory, UserFactory
from ..notifications.factories import make_message

# A note save is a few milliseconds; the provider hangs for as long as the test wants.
FAST_ENOUGH = 1.0


class HangingProvider:
    """`send` blocks until released, like an HTTP call to a provider that does not answer."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def send(self, message: Message) -> ProviderResult:
        self.calls += 1
        self.entered.set()
        self.release.wait(timeout=30)
        return ProviderResult(provider_message_id=f"hang-{message.idempotency_key}")


def test_a_note_save_does_not_wait_for_a_hanging_provider(
    allow_flush: None, monkeypatch: Any
) -> None:
    # Plain ORM rows only: nothing in the append-only journal, so the flush after the test works
    # on SQLite too.
    spip = OrganisationFactory(kind=OrganisationKind.SPIP, name="SPIP du fournisseur bloqué")
    author = UserFactory(username="cpip.bloque", organisation=spip)
    person = PersonFactory(spip=spip, phone="+33612345678")
    message = make_message(person, state="programme")
    provider = HangingProvider()
    monkeypatch.setattr(tasks, "provider_for", lambda channel: provider)
    outcome: list[str] = []

    def sender() -> None:
        try:
            outcome.append(tasks.send_message(message.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=sender)
    thread.start()
    try:
        assert provider.entered.wait(timeout=10), "the provider was never called"
        started = time.monotonic()
        note = Note.objects.create(
            person=person,
            spip=spip,
            kind="entretien",
            event_date=date(2027, 3, 16),
            author=author,
            **body_fields("<p>Entretien pendant que le prestataire SMS ne répond pas.</p>"),
        )
        elapsed = time.monotonic() - started
    finally:
        provider.release.set()
        thread.join(timeout=30)
    assert elapsed < FAST_ENOUGH, f"the note save waited {elapsed:.1f} s for the provider"
    assert Note.objects.filter(pk=note.pk).exists()
    # Nothing lost on the other side either: the message is recorded as sent, once.
    message.refresh_from_db()
    assert outcome == ["envoye"]
    assert (message.state, message.attempts, provider.calls) == ("envoye", 1, 1)
    assert message.provider_message_id == f"hang-{message.idempotency_key}"
