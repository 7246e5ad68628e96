"""The database router: statistics reads go to the replica when one is configured; writes, the
journal, accounts and every read outside statistics stay on the primary."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from config.routers import ReplicaRouter
from parcours.accounts.models import User
from parcours.agenda.models import Appointment
from parcours.audit.models import AuditEvent
from parcours.core.db import in_statistics_reads, statistics_reads
from parcours.people.models import Person

from .conftest import Cast
from .helpers import client_for

ROUTER = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch: Any) -> None:
    """As if DATABASE_REPLICA_URL were set (the alias itself is not opened by these tests)."""
    monkeypatch.setattr("config.routers.replica_configured", lambda: True)


def test_statistics_reads_go_to_the_replica(with_replica: None) -> None:
    assert ROUTER.db_for_read(Appointment) == "default"
    with statistics_reads():
        assert in_statistics_reads()
        assert ROUTER.db_for_read(Appointment) == "replica"
        assert ROUTER.db_for_read(Person) == "replica"
        # Never from the replica: the journal, the accounts.
        assert ROUTER.db_for_read(AuditEvent) == "default"
        assert ROUTER.db_for_read(User) == "default"
        # Writes always on the primary.
        assert ROUTER.db_for_write(Appointment) == "default"
    assert not in_statistics_reads()
    assert ROUTER.db_for_read(Appointment) == "default"


def test_without_a_replica_everything_stays_on_the_primary() -> None:
    with statistics_reads():
        assert ROUTER.db_for_read(Appointment) == "default"


def test_migrations_only_on_the_primary() -> None:
    assert ROUTER.allow_migrate("default", "agenda")
    assert not ROUTER.allow_migrate("replica", "agenda")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "user_name", "replica_model"),
    [("agenda:indicators", "dpip", "appointment"), ("people:team", "dpip", "person")],
)
def test_statistics_pages_read_from_the_replica_and_file_pages_do_not(
    cast: Cast,
    with_replica: None,
    monkeypatch: Any,
    url_name: str,
    user_name: str,
    replica_model: str,
) -> None:
    """The router's decisions during real requests (the replica alias is then served by the
    primary connection, as a test mirror would be)."""
    decisions: list[tuple[str, str]] = []
    original = ReplicaRouter.db_for_read

    def spy(self: ReplicaRouter, model: type[Any], **hints: Any) -> str:
        decisions.append((model._meta.model_name, original(self, model, **hints)))
        return "default"

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    client = client_for(cast.user(user_name))
    assert client.get(reverse(url_name)).status_code == 200
    assert (replica_model, "replica") in decisions
    assert all(db == "default" for model, db in decisions if model in ("auditevent", "user"))
    decisions.clear()
    assert (
        client_for(cast.cpip)
        .get(reverse("people:detail", args=[cast.person.public_id]))
        .status_code
        == 200
    )
    assert decisions and all(db == "default" for _, db in decisions)
