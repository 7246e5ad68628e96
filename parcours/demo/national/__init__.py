"""Synthetic national-scale dataset (issue 6), for benchmarks and load tests only
(`manage.py bench_data`).

Shape at scale 1.0: 103 SPIP (96 metropolitan departments in Europe/Paris, 7 overseas in their
own zones) with their DISP and antennas, ~4,000 CPIP carrying 60–90 people each, 300,000 people,
~1.2 measures per person, obligations on the probation measures in progress, ~10 appointments,
~15 notes (with their first version and search keys) and ~100 journal rows per person; and the
milieu fermé (detention.py): 85,000 detainees with their écrous and sentences.
Organisations are always national; staff and people scale with `scale`.

Writes are set-based (writer.py): every row gets its primary key here, then one table at a time
goes in by PostgreSQL `COPY` (psycopg 3) or by batched `executemany` elsewhere (SQLite), and the
identity sequences are moved past the ids used. Seeded: the same scale gives the same data.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from .activity import NOTES_PER_PERSON, load_activity
from .cases import load_cases
from .detention import detainees_for, load_detention
from .organisations import build_organisations, build_staff
from .state import NOTE_POOL, Pools, Run
from .writer import Counts, Loader

FULL_PEOPLE = 300_000
FULL_CPIP = 4_000


def generate(
    scale: float,
    seed: int = 6,
    log: Callable[[str], None] | None = None,
    audit: bool = True,
    detainees: int | None = None,
) -> Counts:
    """Fills an empty database at `scale` (1.0 = national). See the module docstring.
    `detainees`: how many (default: 85,000 × scale), e.g. the national milieu fermé over a
    small milieu ouvert for the benchmark of the sentence dates."""
    loader = Loader(log or (lambda _message: None))
    counts = loader.counts
    rng = random.Random(seed)
    people_total = max(1, round(FULL_PEOPLE * scale))
    cpip_total = max(1, round(FULL_CPIP * scale))

    start = time.perf_counter()
    with transaction.atomic():
        spips = build_organisations(rng, cpip_total, counts)
        agendas = build_staff(spips, counts)
    counts.seconds["organisations et comptes"] = time.perf_counter() - start
    loader.say(f"organisations et comptes : {counts.seconds['organisations et comptes']:.1f} s")

    start = time.perf_counter()
    # Fewer distinct texts for small datasets (tests): one per ~10 notes, 4,000 at most.
    pools = Pools(seed, min(NOTE_POOL, max(100, people_total * NOTES_PER_PERSON // 10)))
    counts.seconds["préparation"] = time.perf_counter() - start
    run = Run(rng, timezone.localdate(), timezone.now(), loader, pools, spips, agendas)
    load_cases(run, people_total)
    load_activity(run, audit)
    load_detention(run, detainees_for(scale) if detainees is None else detainees, seed)

    loader.writer.fix_sequences()
    if loader.writer.postgresql:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        counts.seconds["analyze"] = time.perf_counter() - start
    return counts
