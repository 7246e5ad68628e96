"""Two workers (the db_worker's task and the cron catch-up, say) pick the same due message at the
same moment: two real PostgreSQL connections, one per thread. The row lock (FOR UPDATE SKIP
LOCKED) lets one send it; the other skips it. The provider receives exactly one request."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from parcours.accounts.models import OrganisationKind
from parcours.notifications import tasks
from parcours.notifications.models import Message

from ..factories import OrganisationFactory, PersonFactory
from .factories import make_message

# Skipped before any database set-up on SQLite (no transactional flush there).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL property (SQLite has one writer at a time)",
)


def test_two_workers_send_a_message_once(
    allow_flush: None, settings: Any, fake: Any, monkeypatch: Any
) -> None:
    # No catalogue data needed (a transactional test may follow another one's TRUNCATE).
    spip = OrganisationFactory(kind=OrganisationKind.SPIP, name="SPIP de la concurrence")
    person = PersonFactory(spip=spip, phone="+33612345678")
    message = make_message(person, state="programme")
    settings.PARCOURS_SMS_BACKEND = "http"
    settings.PARCOURS_SMS_URL = fake.url
    settings.PARCOURS_SMS_TIMEOUT = 5
    fake.set_mode("slow")
    fake.delay = 0.5  # the winner holds the lock while the provider answers
    both_ready = threading.Barrier(2, timeout=20)
    locked = tasks._locked

    def racing_lock(pk: int) -> Message | None:
        both_ready.wait()  # both workers are inside their transaction
        return locked(pk)

    monkeypatch.setattr(tasks, "_locked", racing_lock)
    results: list[str] = []

    def worker() -> None:
        try:
            results.append(tasks.send_message(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["delivre", "ignore"]
    assert len(fake.requests) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("delivre", 1)
