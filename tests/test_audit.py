"""The journal is append-only (ORM and database) and its screen is scoped."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast):
    return record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person, spip_id=cast.spip.pk)


def test_record_copies_who_role_organisation_and_request_id(cast, event):
    assert event.actor_username == "cpip"
    assert event.actor_role == "cpip"
    assert event.actor_organisation == "Antenne de Lille"
    assert event.spip_id == cast.spip.pk
    assert event.object_id == str(cast.person.public_id)


def test_orm_refuses_update_of_an_event(event):
    event.motif = "falsifié"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(motif="x")


def test_orm_refuses_delete_of_an_event(event):
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_refuses_raw_update_and_delete(event):
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET motif = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk, motif="").exists()


def test_request_id_of_the_request_is_journaled(cast, clients):
    response = clients["cpip"].get(
        reverse("people:detail", args=[cast.person.public_id]),
        HTTP_X_REQUEST_ID="req-1234567890",
    )
    assert response["X-Request-ID"] == "req-1234567890"
    event = AuditEvent.objects.get(action=AuditAction.CONSULTATION)
    assert event.request_id == "req-1234567890"


def test_dpip_sees_journal_of_own_spip_only(cast, clients):
    record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person, spip_id=cast.spip.pk)
    record(
        AuditAction.CONSULTATION,
        actor=cast.cpip_autre,
        obj=cast.other_person,
        spip_id=cast.other_spip.pk,
    )
    page = clients["dpip"].get(reverse("audit:journal")).content.decode()
    assert str(cast.person) in page
    assert str(cast.other_person) not in page


def test_journal_filters_by_agent_and_action(cast, clients):
    record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person, spip_id=cast.spip.pk)
    record(AuditAction.MODIFICATION, actor=cast.cpip2, obj=cast.person, spip_id=cast.spip.pk)
    response = clients["dpip"].get(
        reverse("audit:journal"), {"utilisateur": "cpip2", "action": "modification"}
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


def _spip_events(cast, count: int) -> None:
    for _ in range(count):
        record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person, spip_id=cast.spip.pk)


def test_journal_counts_its_events_exactly_below_the_cap(cast, clients):
    _spip_events(cast, 4)
    response = clients["dpip"].get(reverse("audit:journal"))
    total = AuditEvent.objects.filter(spip_id=cast.spip.pk).count()
    assert response.context["page"].paginator.count == total
    assert f"{total} événements" in response.content.decode()
    assert not response.context["page"].paginator.capped


def test_journal_pages_stop_at_the_cap_and_say_so(cast, clients, monkeypatch):
    """A table that only grows is counted up to the cap (a COUNT over a LIMIT): past it the
    page says "Plus de …" and the last page is the cap's, the dates reach further back."""
    from parcours.accounts import journal

    monkeypatch.setattr(journal, "JOURNAL_COUNT_CAP", 3)
    monkeypatch.setattr(journal, "JOURNAL_PAGE_SIZE", 2)
    _spip_events(cast, 6)
    first = clients["dpip"].get(reverse("audit:journal"))
    paginator = first.context["page"].paginator
    assert (paginator.count, paginator.num_pages, paginator.capped) == (3, 2, True)
    assert "Plus de 3 événements" in first.content.decode()
    last = clients["dpip"].get(reverse("audit:journal"), {"page": 9})
    assert last.context["page"].number == 2
    assert len(last.context["page"].object_list) == 1


def test_cpip_sees_only_own_actions(cast, clients):
    record(AuditAction.CONSULTATION, actor=cast.cpip2, obj=cast.person, spip_id=cast.spip.pk)
    response = clients["cpip"].get(reverse("audit:journal"))
    assert all(e.actor_id == cast.cpip.pk for e in response.context["page"].object_list)


def test_the_chain_hashes_every_column_but_the_id_and_the_hashes():
    """A new column must be added to chain.CONTENT_FIELDS knowingly (with a new chain version)."""
    from parcours.audit import chain

    columns = {f.attname for f in AuditEvent._meta.concrete_fields}
    assert set(chain.CONTENT_FIELDS) == columns - {"id", *chain.HASH_FIELDS}


def test_record_adds_at_most_two_queries_to_its_insert(cast, django_assert_num_queries):
    from parcours.audit.services import extra_queries

    record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person)
    with transaction.atomic(), django_assert_num_queries(1 + extra_queries()):
        record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person)
    assert extra_queries() <= 2


def test_migration_0005_chains_the_rows_written_before_it(cast):
    """Rows inserted without hashes (as before the chain) are chained in id order by the
    migration's function, the triggers lifted and made again."""
    from importlib import import_module

    from django.apps import apps

    from parcours.audit.verify import verify

    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        for motif in ("a", "b", "c"):
            cursor.execute(
                f"INSERT INTO {table} (at, actor_username, actor_role, actor_organisation, "
                "action, object_type, object_id, object_label, motif, motif_detail, request_id, "
                "details, prev_hash, row_hash) VALUES (%s, 'ancien', '', '', 'consultation', "
                "'', '', '', %s, '', '', '{}', '', '')",
                ["2024-01-01T10:00:00+00:00", motif],
            )
    assert verify().broken is not None
    migration = import_module("parcours.audit.migrations.0005_hash_chain")

    class Editor:  # what the migration uses of a schema editor (SQLite's refuses a transaction)
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.chain_rows(apps, Editor())
    report = verify()
    assert report.broken is None and report.checked == 3
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET motif = 'x'")
