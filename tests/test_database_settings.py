"""The PostgreSQL connection's statement preparation (ADR 0025): settings and effect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F

from parcours.people.models import Person

BASE_DIR = Path(__file__).resolve().parent.parent
PRINT_OPTIONS = (
    "import json, sys, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES[sys.argv[1]].get('OPTIONS', {})))"
)


def database_options(alias: str = "default", **env: str) -> subprocess.CompletedProcess[str]:
    """`DATABASES[alias]['OPTIONS']` as the settings build them for a PostgreSQL URL."""
    return subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS, alias],
        cwd=BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_PREPARE_THRESHOLD"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://parcours@db.invalid:5432/parcours",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_postgresql_binds_on_the_server_and_prepares_by_default():
    result = database_options()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"server_side_binding": True, "prepare_threshold": 5}


def test_the_threshold_is_set_or_switched_off_for_an_old_pooler():
    now = database_options(DATABASE_PREPARE_THRESHOLD="0")
    assert json.loads(now.stdout) == {"server_side_binding": True, "prepare_threshold": 0}
    off = database_options(DATABASE_PREPARE_THRESHOLD="off")
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout) == {}


URLS = {
    "DATABASE_URL": "postgres://parcours@db.invalid/parcours?sslmode=require",
    "DATABASE_REPLICA_URL": "postgres://parcours@replica.invalid/parcours?sslmode=verify-full",
}


@pytest.mark.parametrize(("alias", "sslmode"), [("default", "require"), ("replica", "verify-full")])
def test_each_database_keeps_its_url_options_and_prepares_too(alias, sslmode):
    """The options are added to those of the URL's query string, never put in their place (a
    dropped sslmode would connect without TLS)."""
    result = database_options(alias, **URLS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "sslmode": sslmode,
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


def test_a_threshold_that_is_not_a_number_stops_the_start_with_a_clear_message():
    result = database_options(DATABASE_PREPARE_THRESHOLD="cinq")
    assert result.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD : un nombre entier, ou off." in result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
@pytest.mark.django_db
def test_a_query_run_again_on_a_connection_is_planned_once(cast):
    """After `prepare_threshold` runs, the server holds the statement (and its plan): the next
    runs skip parsing and planning."""
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    assert threshold is not None, "statements are not prepared (DATABASE_PREPARE_THRESHOLD=off)"

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%AS "prepared_probe"%"people_person"."public_id" = $1%'],
            )
            return int(cursor.fetchone()[0])

    # An alias no other query has: what an earlier test ran on this connection counts for nothing.
    probe = Person.objects.annotate(prepared_probe=F("pk")).filter(public_id=cast.person.public_id)
    assert prepared() == 0
    for _ in range(threshold + 1):
        assert probe.values_list("prepared_probe", flat=True).get() == cast.person.pk
    assert prepared() == 1
