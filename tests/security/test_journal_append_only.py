"""Issue 14, finding 5: the journal cannot be rewritten. Triggers refuse REPLACE/UPDATE/DELETE,
each row hashes the previous one and `verify_journal` names the first broken link, the journal's
own purge leaves a verifiable anchor, and on PostgreSQL the application's role may only INSERT
and SELECT on it."""

from __future__ import annotations

import io
import itertools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from parcours.audit import chain
from parcours.audit.models import AuditAction, AuditEvent
from parcours.audit.services import APPEND_SQL, record
from parcours.audit.verify import verify

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table
postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)


@contextmanager
def as_intruder() -> Iterator[None]:
    """What the issue's intruder does with the owner's (or superuser's) connection: the triggers
    stop firing. Rolled back with the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            yield
        else:
            cursor.execute("SET session_replication_role = replica")
            try:
                yield
            finally:
                cursor.execute("SET session_replication_role = origin")


def run_verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_journal", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), err.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def events(cast):
    return [
        record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person, motif=f"m{i}")
        for i in range(4)
    ]


def test_replace_of_an_existing_row_is_refused(events):
    """SQLite's INSERT OR REPLACE deletes the old row without firing the DELETE trigger; on
    PostgreSQL the equivalent is an upsert."""
    target = events[1]
    if connection.vendor == "sqlite":
        sql = (
            f"INSERT OR REPLACE INTO {TABLE} (id, at, actor_username, actor_role, "
            "actor_organisation, action, object_type, object_id, object_label, motif, "
            "motif_detail, request_id, details, prev_hash, row_hash) "
            "VALUES (%s, %s, 'x', '', '', 'consultation', '', '', '', 'falsifié', '', '', "
            "'{}', '', '')"
        )
    else:
        sql = (
            f"INSERT INTO {TABLE} (id, at, actor_username, actor_role, "
            "actor_organisation, action, object_type, object_id, object_label, motif, "
            "motif_detail, request_id, details, prev_hash, row_hash) "
            "VALUES (%s, %s, 'x', '', '', 'consultation', '', '', '', 'falsifié', '', '', "
            "'{}', '', '') ON CONFLICT (id) DO UPDATE SET motif = EXCLUDED.motif"
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [target.pk, target.at])
    assert AuditEvent.objects.get(pk=target.pk).motif == "m1"


def test_the_triggers_survive_the_migrations():
    """Migration 0005 rebuilds the table on SQLite (which drops triggers) and makes them again."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
            names = {row[0] for row in cursor.fetchall()}
        assert names == {"audit_event_no_update", "audit_event_no_delete", "audit_event_no_replace"}
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal",
                [TABLE],
            )
            found = dict(cursor.fetchall())
        assert found == {"audit_event_no_update": "O", "audit_event_no_truncate": "O"}


def test_each_row_hashes_the_previous_one(events):
    rows = list(AuditEvent.objects.order_by("id"))
    assert rows[0].prev_hash == chain.GENESIS
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.row_hash
        assert len(after.row_hash) == 64
    # The hash computed before the insert is the one of the row read back.
    fields = chain.content_fields()
    again = AuditEvent.objects.values(*fields).get(pk=rows[2].pk)
    assert chain.link(rows[2].prev_hash, again, fields) == rows[2].row_hash


def test_details_and_addresses_hash_as_they_read_back(cast):
    event = record(
        AuditAction.EXPORT,
        actor=cast.dpip,
        person_public_id=str(uuid.uuid4()),  # type: ignore[arg-type]
        details={"ids": (1, 2), 3: "trois", "é": ["ü"]},
    )
    assert run_verify()[0] == 0
    assert AuditEvent.objects.get(pk=event.pk).details == {"ids": [1, 2], "3": "trois", "é": ["ü"]}


def test_an_intact_journal_is_reported(events):
    code, out = run_verify()
    assert code == 0
    assert "Journal intègre : 4 événements vérifiés." in out
    assert events[-1].row_hash in out


def test_a_rewritten_row_is_named(events):
    with as_intruder(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET motif = 'falsifié' WHERE id = %s", [events[2].pk])
    code, err = run_verify()
    assert code == 1
    assert f"l'événement n° {events[2].pk} " in err
    assert "contenu modifié" in err
    assert events[2].row_hash in err  # found: the stored hash no longer matches the content


def test_a_row_removed_in_the_middle_is_named(events):
    with as_intruder(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    code, err = run_verify()
    assert code == 1
    assert f"l'événement n° {events[2].pk} " in err
    assert "maillon précédent absent ou modifié" in err
    assert verify().checked == 1


def test_a_row_rewritten_with_its_hash_recomputed_breaks_the_next_link(events):
    target = events[1]
    fields = chain.content_fields()
    values = AuditEvent.objects.values(*fields).get(pk=target.pk)
    values["motif"] = "falsifié"
    forged = chain.link(target.prev_hash, values, fields)
    with as_intruder(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET motif = 'falsifié', row_hash = %s WHERE id = %s",
            [forged, target.pk],
        )
    broken = verify().broken
    assert broken is not None and broken.id == events[2].pk
    assert (broken.expected, broken.found) == (forged, target.row_hash)


def test_a_row_written_around_record_is_named(events):
    with connection.cursor() as cursor:  # an INSERT is allowed; without its link it is caught
        cursor.execute(
            f"INSERT INTO {TABLE} (at, actor_username, actor_role, actor_organisation, action, "
            "object_type, object_id, object_label, motif, motif_detail, request_id, details, "
            "prev_hash, row_hash) VALUES (%s, 'x', '', '', 'consultation', '', '', '', '', '', "
            "'', '{}', '', '')",
            [datetime.now(UTC)],
        )
        cursor.execute(f"SELECT MAX(id) FROM {TABLE}")
        forged_id = cursor.fetchone()[0]
    broken = verify(chunk=2).broken  # chunks smaller than the journal: the walk crosses them
    assert broken is not None and broken.id == forged_id


def test_a_journal_cut_at_its_start_without_a_purge_is_named(events):
    with as_intruder(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])
    broken = verify().broken
    assert broken is not None and broken.id == events[1].pk
    assert broken.reason.startswith("début de chaîne inconnu")


def test_purge_keeps_a_verifiable_chain_from_its_anchor(cast):
    with time_machine.travel(datetime(2020, 1, 10, 12, tzinfo=UTC), tick=False):
        old = [record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person) for _ in "ab"]
    with time_machine.travel(datetime(2024, 6, 1, 12, tzinfo=UTC), tick=False):
        kept = record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person)
        out = io.StringIO()
        call_command("purge_journal", "--before", "2021-01-01", stdout=out)
    assert "2 événement(s) supprimé(s)" in out.getvalue()
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    purge = AuditEvent.objects.get(action=AuditAction.PURGE)
    assert purge.details[chain.ANCHOR_KEY] == old[-1].row_hash == kept.prev_hash
    report = verify()
    assert report.broken is None and report.checked == 2 and report.anchor == old[-1].row_hash
    # The triggers are back once the purge is over.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def test_purge_refuses_a_bad_or_future_date():
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("purge_journal", "--before", "31/12/2020")
    with pytest.raises(CommandError, match="doit être passée"):
        call_command("purge_journal", "--before", date(2999, 1, 1).isoformat())


def test_a_forged_anchor_needs_a_purge_event_in_the_chain(events):
    """Removing the oldest rows by hand is not a purge: no chained PURGE event names the anchor."""
    with as_intruder(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [events[1].pk])
    assert verify().broken is not None


# --- PostgreSQL: the application's role ----------------------------------------------------


def _connect(user: str, **kwargs: object):
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        dbname=s["NAME"],
        user=user,
        password=s["PASSWORD"] or None,
        **kwargs,
    )


@pytest.fixture
def app_role():
    """A role of this test run (roles are cluster-wide), made by the owner's SQL on a connection
    of its own (committed, so the role's connection sees it), dropped at the end."""
    from parcours.audit.roles import statements

    role = f"parcours_app_test_{uuid.uuid4().hex[:10]}"
    owner = _connect(connection.settings_dict["USER"], autocommit=True)
    try:
        for statement in statements(
            role, connection.settings_dict["NAME"], exists=False, password=None
        ):
            owner.execute(statement)
        yield role
    finally:
        owner.execute(f'DROP OWNED BY "{role}"')
        owner.execute(f'DROP ROLE IF EXISTS "{role}"')
        owner.close()


@postgres_only
def test_the_command_prints_the_grants_without_the_password(monkeypatch):
    monkeypatch.setenv("PARCOURS_APP_PASSWORD", "s3cret-du-role")
    out = io.StringIO()
    role = f"parcours_app_test_{uuid.uuid4().hex[:10]}"
    call_command(
        "create_app_role",
        "--role",
        role,
        "--password-env",
        "PARCOURS_APP_PASSWORD",
        "--print",
        stdout=out,
    )
    text = out.getvalue()
    assert "s3cret" not in text and "PASSWORD '***'" in text
    assert f'GRANT SELECT, INSERT ON TABLE "audit_auditevent" TO "{role}"' in text
    assert "NOSUPERUSER NOCREATEROLE" in text


@postgres_only
def test_the_application_role_may_only_append_to_and_read_the_journal(app_role, cast):
    import psycopg

    refused = {
        "UPDATE": f"UPDATE {TABLE} SET motif = 'falsifié'",
        "DELETE": f"DELETE FROM {TABLE}",
        "TRUNCATE": f"TRUNCATE {TABLE}",
        "DISABLE TRIGGER": f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_no_update",
        "DISABLE TRIGGER ALL": f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
        "ALTER": f"ALTER TABLE {TABLE} ADD COLUMN x integer",
        "replica": "SET session_replication_role = replica",
        "DROP": f"DROP TABLE {TABLE}",
    }
    with _connect(app_role) as app:
        for sql in refused.values():
            with pytest.raises(psycopg.errors.InsufficientPrivilege), app.transaction():
                app.execute(sql)
        # Append and read work (then rolled back: the row would outlive the test).
        with app.transaction(force_rollback=True):
            app.execute(
                f"INSERT INTO {TABLE} (at, actor_username, actor_role, actor_organisation, action, "
                "object_type, object_id, object_label, motif, motif_detail, request_id, details, "
                "prev_hash, row_hash) VALUES (now(), 'x', '', '', 'consultation', '', '', '', '', "
                "'', '', '{}', '', '') RETURNING id"
            )
            # What record() runs on PostgreSQL: lock, last hash and insert in one statement.
            values = {
                "at": datetime(2026, 12, 7, 9, 30, 0, 123456, tzinfo=UTC),
                "actor_id": None,
                "actor_username": "y",
                "actor_role": "",
                "actor_organisation": "",
                "spip_id": None,
                "action": "consultation",
                "object_type": "",
                "object_id": "",
                "object_label": "",
                "person_public_id": None,
                "motif": "",
                "motif_detail": "",
                "request_id": "",
                "ip_address": "10.0.0.1",
                "details": {"é": [1, "deux"]},
            }
            fields = chain.content_fields()
            appended = app.execute(APPEND_SQL, [chain.content(values, fields)]).fetchone()
            _, prev_hash, row_hash = appended
            assert row_hash == chain.link(prev_hash, values, fields)
            count = app.execute(f"SELECT count(*) FROM {TABLE} WHERE actor_username IN ('x', 'y')")
            assert count.fetchone() == (2,)
            # The rest of the data stays the application's to change.
            app.execute("UPDATE accounts_user SET last_name = last_name WHERE false")
            app.execute("DELETE FROM people_person WHERE false")


@postgres_only
def test_the_command_grants_append_and_read_only_on_the_journal():
    """Run for real inside the test's transaction (roles are transactional: rolled back)."""
    role = f"parcours_app_test_{uuid.uuid4().hex[:10]}"
    call_command("create_app_role", "--role", role, stdout=io.StringIO())
    call_command("create_app_role", "--role", role, stdout=io.StringIO())  # a second run: ALTER
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = %s", [role]
        )
        assert cursor.fetchone() == (False, False, True)
        granted = {}
        for table in (TABLE, "people_person"):
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
                granted[table, privilege] = cursor.fetchone()[0]
    assert {p for (t, p), ok in granted.items() if t == TABLE and ok} == {"SELECT", "INSERT"}
    assert {p for (t, p), ok in granted.items() if t == "people_person" and ok} == {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
    }


def test_create_app_role_is_for_postgresql_only():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("create_app_role", "--role", "x")


@postgres_only
def test_record_holds_the_chain_lock_until_its_transaction_ends(cast):
    """A second writer cannot read the last hash while a journaling transaction is open, so two
    writers never link to the same row."""
    record(AuditAction.CONSULTATION, actor=cast.cpip, obj=cast.person)  # the test's transaction
    with _connect(connection.settings_dict["USER"]) as other:
        taken = other.execute("SELECT pg_try_advisory_xact_lock(%s)", [chain.ADVISORY_LOCK_KEY])
        assert taken.fetchone() == (False,)


def test_the_append_function_uses_the_chains_lock_and_genesis():
    """The function's SQL is frozen in migration 0006: if the chain's lock key or genesis changed
    in Python, PostgreSQL's writers (the function) and the purge (Python) would stop sharing one
    lock, or start the chain differently. A new migration must follow such a change."""
    from importlib import import_module

    sql = import_module("parcours.audit.migrations.0006_journal_append_function").CREATE
    assert f"pg_advisory_xact_lock({chain.ADVISORY_LOCK_KEY})" in sql
    assert chain.GENESIS == "0" * 64 and "repeat('0', 64)" in sql
