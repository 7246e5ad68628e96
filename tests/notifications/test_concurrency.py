"""Two workers (the db_worker's task and the cron catch-up, say) pick the same due message at the
same moment: two real PostgreSQL connections, one per thread. The row lock (FOR UPDATE SKIP
LOCKED) lets one send it; the other skips it. The provider receives exactly one request."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from parcours.accounts.models import OrganisationKind
from parcours.notifications import services
from parcours.notifications.models import Message

from ..factories import OrganisationFactory, PersonFactory
from .factories import make_message

# Skipped before any database set-up on SQLite (no transactional flush there).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL property (SQLite has one writer at a time)",
)
TRIGGER = "ALTER TABLE audit_auditevent {} TRIGGER audit_event_no_truncate"


@pytest.fixture(scope="module")
def rearm_truncate_guard(django_db_blocker: Any) -> Any:
    """Re-arms the append-only guard of the journal once the tables have been emptied."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(TRIGGER.format("ENABLE"))


@pytest.fixture
def allow_flush(rearm_truncate_guard: None, transactional_db: None) -> Any:
    """A transactional test ends with a TRUNCATE of every table, which the journal's trigger
    refuses (ADR 0003): the guard is lifted for that flush only."""
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(TRIGGER.format("DISABLE"))


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
    locked = services._locked

    def racing_lock(pk: int) -> Message | None:
        both_ready.wait()  # both workers are inside their transaction
        return locked(pk)

    monkeypatch.setattr(services, "_locked", racing_lock)
    results: list[str] = []

    def worker() -> None:
        try:
            results.append(services.send_message(message.pk))
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
