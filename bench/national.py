"""Pages and nightly recomputations on the national dataset (`manage.py bench_data`), on
PostgreSQL (DATABASE_URL) or SQLite (PARCOURS_VAR_DIR, as `make bench-data` without
DATABASE_URL leaves it in var/national/).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/national_01 PARCOURS_DEMO=1 \
        .venv/bin/python bench/national.py --runs 30
    PARCOURS_VAR_DIR=var/national PARCOURS_DEMO=1 .venv/bin/python bench/national.py --runs 30

For the first generated CPIP (cpip.n00001, 90 people) and the DPIP of their SPIP: server time of
each page through Django's test client in-process (view + queries + template, like
bench/pages.py), `--runs` times after a warm-up, median and p95; then the *SQL floor* of the
page: the exact statements the page ran (captured with CaptureQueriesContext) replayed through
the raw driver cursor (psycopg or sqlite3), fetching every row, in a transaction rolled back
afterwards (the page's own writes — journal, session — are replayed too). page / floor is what
Django and the templates add. Then the nightly recomputations on the whole dataset (first run,
then a run with nothing to change). Prints the machine and markdown tables.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import statistics
import time
from pathlib import Path

import _django  # noqa: F401  (sets Django up: first)
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from nightly import time_jobs

from parcours.accounts.models import Role, User
from parcours.agenda.models import Appointment
from parcours.audit.models import AuditEvent
from parcours.measures.models import Measure
from parcours.notes.models import Note
from parcours.obligations.models import Obligation
from parcours.people.models import Person

SKIPPED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} (shared machine)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cpip", default="cpip.n00001")
    parser.add_argument("--no-nightly", action="store_true")
    parser.add_argument("--nightly-only", action="store_true")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["*"]
    cpip = User.objects.select_related("organisation").get(username=args.cpip)
    spip_id = cpip.organisation.spip_id if cpip.organisation else None
    dpip = User.objects.filter(role=Role.DPIP, organisation__spip_id=spip_id).first()
    assert dpip is not None, "no DPIP in the CPIP's SPIP: run manage.py bench_data first"
    person = Person.objects.filter(referent=cpip).order_by("pk").first()
    assert person is not None
    caseload = Person.objects.filter(referent=cpip).count()
    server = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        server = f"SQLite {sqlite3.sqlite_version} (WAL)"
    print(f"Machine: {machine()}")
    print(f"Database: {server or connection.vendor}")
    print(
        f"Data: {Person.objects.count()} people, {Measure.objects.count()} measures, "
        f"{Obligation.objects.count()} obligations, {Appointment.objects.count()} appointments, "
        f"{Note.objects.count()} notes, {AuditEvent.objects.count()} journal rows"
    )
    print(f"User: {cpip.username} ({caseload} people), DPIP {dpip.username}; runs: {args.runs}\n")

    if not args.no_nightly:
        nightly()
    if args.nightly_only:
        return

    pages = [
        ("Mes personnes suivies (CPIP)", cpip, "/personnes/"),
        ("Dossier d'une personne (CPIP)", cpip, f"/personnes/{person.public_id}/"),
        ("Agenda du jour (CPIP)", cpip, "/agenda/"),
        ("Recherche « hébergement » (CPIP)", cpip, "/recherche/?q=h%C3%A9bergement"),
        ("Mon équipe (DPIP)", dpip, "/personnes/equipe/"),
    ]
    print("| Page | median (ms) | p95 (ms) | queries | SQL floor median (ms) | page / floor |")
    print("|---|---|---|---|---|---|")
    for label, user, url in pages:
        timings, statements = time_page(user, url, args.runs)
        floors = []
        for _ in range(args.runs):
            with transaction.atomic():
                with connection.cursor() as wrapper:
                    raw = wrapper.cursor  # the driver's cursor: no Django in the way
                    start = time.perf_counter()
                    for sql in statements:
                        raw.execute(sql)
                        if raw.description is not None:
                            raw.fetchall()
                    floors.append((time.perf_counter() - start) * 1000)
                transaction.set_rollback(True)
        median = statistics.median(timings)
        floor = statistics.median(floors)
        print(
            f"| {label} | {median:.1f} | {p95(timings):.1f} | {len(statements)} | "
            f"{floor:.1f} | {median / floor:.1f}× |"
        )


def time_page(user: User, url: str, runs: int) -> tuple[list[float], list[str]]:
    """Server time (ms) of `runs` requests of `url` by `user` after a warm-up, and the SQL
    statements of one more."""
    client = Client()
    client.force_login(user)

    def get() -> float:
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - start) * 1000

    get()
    timings = [get() for _ in range(runs)]
    with CaptureQueriesContext(connection) as ctx:
        get()
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(SKIPPED)]
    return timings, statements


def nightly() -> None:
    print("| Recomputation | first run (s) | second run, nothing changed (s) | peak RSS (MB) |")
    print("|---|---|---|---|")
    for label, runs in time_jobs(2):
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {label} | {runs[0]:.2f} | {runs[1]:.2f} | {peak_mb:.0f} |")
    print()
    # The recomputations rewrite whole tables (the alerts): fresh statistics for the pages read
    # afterwards, as autovacuum's analyze gives them in production (a server with autovacuum
    # off, as on some bench machines, otherwise plans them on the empty table's estimates).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
