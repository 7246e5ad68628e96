"""Note search at scale on PostgreSQL: fills a separate database with N synthetic notes (COPY),
then times the searches a CPIP and a DPIP make, as the /recherche/ page runs them (count + first
page of 20 with snippets' data).

    .venv/bin/python bench/search.py --notes 1000000
    .venv/bin/python bench/search.py --notes 1000000 --reuse   # keep the filled database

The database (default postgres://postgres@127.0.0.1:5432/bench_search) is dropped and created
by the script unless --reuse finds it already filled with at least N notes.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
import uuid
from typing import Any

import psycopg


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/bench_search")
    parser.add_argument("--reuse", action="store_true", help="keep an already filled database")
    return parser.parse_args()


# The database is chosen on the command line, before Django reads its settings.
ARGS = parse_args()
os.environ["DATABASE_URL"] = ARGS.url

import _django  # noqa: E402, F401  (sets Django up, on ARGS.url)
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from faker import Faker  # noqa: E402

from parcours.accounts.models import Organisation, OrganisationKind, Role, User  # noqa: E402
from parcours.notes import fts  # noqa: E402
from parcours.notes.search import NoteSearch, search_notes, snippet  # noqa: E402
from parcours.people.models import Person  # noqa: E402
from parcours.rules.text import search_document  # noqa: E402

UNUSABLE = "!"  # Django's marker of an unusable password: nobody signs in to this database
NOTES_PER_PERSON = 20
PEOPLE_PER_CPIP = 70
CPIPS_PER_SPIP = 60
DOMAIN_PHRASES = [
    "Recherche d'hébergement en cours auprès du SIAO",
    "hébergé chez un ami depuis le mois dernier",
    "demande d'hebergement d'urgence déposée",
    "inscrit à France Travail, recherche d'emploi active",
    "a retrouvé un emploi en intérim",
    "suivi des soins au CSAPA, rendez-vous honorés",
    "obligation de soins respectée, attestation fournie",
    "convocation honorée, entretien sans difficulté",
    "absence à la convocation, rappel des obligations",
    "formation qualifiante envisagée avec la mission locale",
    "dettes en cours de règlement, échéancier mis en place",
    "logement autonome obtenu, bail signé",
]
QUERIES = [
    "hébergé",
    "emploi",
    "soins CSAPA",
    "hébergement urgence",
    "convocation",
    "formation qualifiante",
    "bail",
]


def database_url(name: str, base: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


def prepare_database(url: str, notes: int, reuse: bool) -> bool:
    """True when the database must be filled."""
    name = url.rsplit("/", 1)[1]
    admin = database_url("postgres", url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            with psycopg.connect(url) as db:
                try:
                    row = db.execute("SELECT count(*) FROM notes_note").fetchone()
                    if row and row[0] >= notes:
                        return False
                except psycopg.Error:
                    pass
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def sentence_pool(size: int, rng: random.Random) -> list[tuple[str, str]]:
    fake = Faker("fr_FR")
    fake.seed_instance(2026)
    pool = []
    for i in range(size):
        text = fake.sentence(nb_words=rng.randint(8, 16))
        if i % 4 == 0:
            text = f"{rng.choice(DOMAIN_PHRASES)}, {text[0].lower()}{text[1:]}"
        pool.append((text, search_document(text)))
    return pool


def fill(total_notes: int, rng: random.Random) -> dict[str, Any]:
    people_count = max(1, total_notes // NOTES_PER_PERSON)
    cpip_count = max(1, people_count // PEOPLE_PER_CPIP)
    spip_count = max(1, cpip_count // CPIPS_PER_SPIP)
    start = time.perf_counter()
    spips, antennas = [], []
    for s in range(spip_count):
        spip = Organisation.objects.create(kind=OrganisationKind.SPIP, name=f"SPIP {s}")
        spip.spip = spip
        spip.save(update_fields=["spip"])
        antenna = Organisation.objects.create(
            kind=OrganisationKind.ANTENNE, name=f"Antenne {s}", parent=spip, spip=spip
        )
        spips.append(spip)
        antennas.append(antenna)
    users = User.objects.bulk_create(
        [
            User(
                username=f"cpip{i}",
                role=Role.CPIP,
                organisation=antennas[min(i // CPIPS_PER_SPIP, spip_count - 1)],
                password=UNUSABLE,
            )
            for i in range(cpip_count)
        ]
        + [
            User(username=f"dpip{s}", role=Role.DPIP, organisation=antennas[s], password=UNUSABLE)
            for s in range(spip_count)
        ],
        batch_size=2000,
    )
    cpips = users[:cpip_count]
    people = []
    for p in range(people_count):
        referent = cpips[min(p // PEOPLE_PER_CPIP, cpip_count - 1)]
        antenna = antennas[min(p // PEOPLE_PER_CPIP // CPIPS_PER_SPIP, spip_count - 1)]
        people.append(
            Person(
                spip_id=antenna.spip_id,
                antenna=antenna,
                referent=referent,
                last_name=f"NOM{p}",
                first_names="Prénom",
                birth_date=datetime.date(1980, 1, 1) + datetime.timedelta(days=p % 9000),
                search_name=f"NOM{p} PRENOM",
            )
        )
    people = Person.objects.bulk_create(people, batch_size=5000)
    setup = time.perf_counter() - start

    pool = sentence_pool(5000, rng)
    kinds = ["entretien", "appel", "visite", "courrier", "incident", "synthese", "reunion"]
    today = datetime.date(2026, 11, 27)
    with connection.cursor() as cursor:  # the GIN index is built once, after the COPY
        cursor.execute("DROP INDEX IF EXISTS notes_note_search_gin")
    start = time.perf_counter()
    raw = connection.connection
    columns = (
        "public_id, person_id, spip_id, kind, event_date, author_id, sensitive, body_html, "
        "body_text, search_text, version, created_at, updated_at"
    )
    now = "2026-11-27 12:00:00+00"
    with raw.cursor() as cursor, cursor.copy(f"COPY notes_note ({columns}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for n in range(total_notes):
            person = people[n % people_count]
            chosen = rng.sample(pool, rng.randint(3, 6))
            text = " ".join(t for t, _ in chosen)
            keys = " ".join(k for _, k in chosen)
            day = today - datetime.timedelta(days=rng.randint(0, 1500))
            buffer.write(
                f"{uuid.uuid4()}\t{person.pk}\t{person.spip_id}\t{rng.choice(kinds)}\t{day}\t"
                f"{person.referent_id}\t{'t' if n % 50 == 0 else 'f'}\t<p>{text}</p>\t"
                f"{text}\t{keys}\t1\t{now}\t{now}\n"
            )
            if n % 20000 == 19999:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    raw.commit()
    copied = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for sql in fts.POSTGRESQL_INDEX:
            cursor.execute(sql)
        cursor.execute("ANALYZE")
    indexed = time.perf_counter() - start
    return {
        "people": people_count,
        "cpips": cpip_count,
        "spips": spip_count,
        "setup_s": setup,
        "copy_s": copied,
        "index_s": indexed,
    }


def time_searches(runs: int) -> None:
    cpip = User.objects.filter(role=Role.CPIP).order_by("pk").first()
    dpip = User.objects.filter(role=Role.DPIP).order_by("pk").first()
    for label, user in (("CPIP (son portefeuille)", cpip), ("DPIP (tout le SPIP)", dpip)):
        for query in QUERIES:
            for order in ("pertinence", "date"):
                timings = []
                count = 0
                for _ in range(runs):
                    start = time.perf_counter()
                    criteria = NoteSearch(text=query, order=order)
                    page = Paginator(search_notes(user, criteria), 20).get_page(1)
                    count = page.paginator.count
                    for note in page.object_list:
                        snippet(note, criteria.keys)
                    timings.append((time.perf_counter() - start) * 1000)
                timings.sort()
                p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
                median = statistics.median(timings)
                print(f"| {label} | {query} ({order}) | {median:.1f} | {p95:.1f} | {count} |")
                sys.stdout.flush()


def main() -> None:
    args = ARGS
    # Django has not connected yet: the database can still be dropped and created.
    must_fill = prepare_database(args.url, args.notes, args.reuse)
    call_command("migrate", "notes", verbosity=0)
    rng = random.Random(5)
    if must_fill:
        stats = fill(args.notes, rng)
        print(
            f"Filled {args.notes} notes, {stats['people']} people, {stats['cpips']} CPIP, "
            f"{stats['spips']} SPIP: setup {stats['setup_s']:.1f} s, COPY {stats['copy_s']:.1f} s,"
            f" GIN index + ANALYZE {stats['index_s']:.1f} s"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM notes_note")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"\n{version}, {total} notes, {args.runs} runs per search (ms, count + page 1)\n")
    print("| Utilisateur | Recherche (tri) | médiane (ms) | p95 (ms) | résultats |")
    print("|---|---|---|---|---|")
    sys.stdout.flush()
    time_searches(args.runs)


if __name__ == "__main__":
    main()
