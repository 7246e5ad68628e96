"""Set-based writes for the nightly recomputations and the national generator.

Django's `bulk_update` writes `SET col = CASE WHEN id = … THEN … END` per batch: its cost grows
with the square of the batch and it took most of the first nightly run at national scale
(110 s for 191,727 obligations and 300,000 people). `update_rows` sends one
`WITH v(…) AS (VALUES …) UPDATE … FROM v` per batch instead, which both PostgreSQL and SQLite
(≥ 3.33) execute as a join. `insert_rows` loads rows with PostgreSQL's `COPY` (psycopg 3), and
with `bulk_create` elsewhere.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db import connections as db_connections
from django.db.models import Q
from django.utils import timezone

UPDATE_BATCH = 1000
INSERT_BATCH = 5000


def batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    source = iter(rows)
    while batch := list(itertools.islice(source, size)):
        yield batch


def _cast_type(field: Any) -> str:
    db_type = str(field.db_type(connection))
    return "text" if db_type.startswith("varchar") else db_type


def update_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    batch_size: int = UPDATE_BATCH,
) -> int:
    """Sets `fields` (attribute names) of the rows `(pk, value, …)`; one statement per batch.
    Returns the number of rows given. Values go through each field's database preparation, and
    on PostgreSQL are cast to the column type (a column of NULLs in VALUES would be text)."""
    model_fields: list[Any] = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(model._meta.pk.column)
    aliases = [f"c{i}" for i in range(len(model_fields))]
    if connection.vendor == "postgresql":
        # An explicit cast to varchar(n) would truncate silently; text is assigned to the
        # column with its length check, so an overlong value fails instead of being cut.
        casts = [
            f"CAST(v.{a} AS {_cast_type(f)})" for a, f in zip(aliases, model_fields, strict=True)
        ]
    else:
        casts = [f"v.{a}" for a in aliases]
    assignments = ", ".join(
        f"{quote(f.column)} = {cast}" for f, cast in zip(model_fields, casts, strict=True)
    )
    placeholders = "(" + ", ".join(["%s"] * (len(model_fields) + 1)) + ")"
    count = 0
    with connection.cursor() as cursor:
        for batch in batches(rows, batch_size):
            params: list[Any] = []
            for pk, *values in batch:
                params.append(pk)
                params.extend(
                    f.get_db_prep_save(value, connection)
                    for f, value in zip(model_fields, values, strict=True)
                )
            sql = (
                f"WITH v(k, {', '.join(aliases)}) AS "  # noqa: S608 — model columns only
                f"(VALUES {', '.join([placeholders] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk_column} = v.k"
            )
            cursor.execute(sql, params)
            count += len(batch)
    return count


def _with_defaults(
    model: type[models.Model], fields: Sequence[str]
) -> tuple[list[Any], tuple[Any, ...]]:
    """The model fields of `fields` followed by the model's other concrete columns (the primary
    key excepted), with those columns' default values: raw loads bypass the model."""
    model_fields: list[Any] = [model._meta.get_field(name) for name in fields]
    given = {f.attname for f in model_fields}
    extras = [
        f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key
    ]
    now = timezone.now()
    extra_values = tuple(
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in extras
    )
    return model_fields + extras, extra_values


def copy_rows(
    cursor: Any, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    """PostgreSQL only: streams `rows` (tuples in the order of the attribute names `fields`)
    into the model's table with `COPY`; the model's other columns get their defaults. Yields
    each row as written, so the caller can follow ids."""
    model_fields, extra_values = _with_defaults(model, fields)
    json_positions = {i for i, f in enumerate(model_fields) if isinstance(f, models.JSONField)}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model_fields)
    raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
    with raw.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            full = tuple(row) + extra_values
            if json_positions:
                full = tuple(
                    json.dumps(v) if i in json_positions else v for i, v in enumerate(full)
                )
            copy.write_row(full)
            yield row


# Field types whose Python values sqlite3 cannot store as Django would: converted with the
# field's own preparation (aware datetimes become naive UTC text, UUIDs hex, JSON text…).
_SQLITE_PREPARED = frozenset(
    {"DateTimeField", "DateField", "TimeField", "UUIDField", "JSONField", "DecimalField"}
)


def executemany_rows(
    cursor: Any, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    """SQLite: inserts `rows` like `copy_rows` with one prepared INSERT run by `executemany`
    per batch — no model instances. Yields each row as written."""
    model_fields, extra_values = _with_defaults(model, fields)
    prepared = [
        (i, f) for i, f in enumerate(model_fields) if f.get_internal_type() in _SQLITE_PREPARED
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model_fields)
    marks = ", ".join(["%s"] * len(model_fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    for batch in batches(rows, INSERT_BATCH):
        values = []
        for row in batch:
            full = list(row) + list(extra_values)
            for i, f in prepared:
                full[i] = f.get_db_prep_save(full[i], connection)
            values.append(full)
        cursor.executemany(sql, values)
        yield from batch


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Inserts rows (tuples in the order of the attribute names `fields`): `COPY` on
    PostgreSQL, batched `executemany` elsewhere. Returns the number of rows."""
    write = copy_rows if connection.vendor == "postgresql" else executemany_rows
    count = 0
    with connection.cursor() as cursor:
        for _ in write(cursor, model, fields, rows):
            count += 1
    return count


def id_ranges(model: type[models.Model], size: int) -> Iterator[tuple[int, int]]:
    """Consecutive inclusive ranges `(first, last)` of `size` primary keys covering the model's
    rows (read once: the smallest and largest key), for chunked recomputations whose memory
    must not grow with the national volume."""
    bounds = model._base_manager.aggregate(low=models.Min("pk"), high=models.Max("pk"))
    low, high = bounds["low"], bounds["high"]
    if low is None or high is None:
        return
    for first in range(low, high + 1, size):
        yield first, min(first + size - 1, high)


@dataclass(frozen=True)
class Chunk:
    """Some rows of a table by primary key: the listed ones (`lookup` "in") or an inclusive
    range of keys (`lookup` "range"), optionally only those matching `within` (lookups on the
    table itself, e.g. `{"spip_id__in": [...]}`: the people of some SPIP)."""

    lookup: str
    value: Any
    within: dict[str, Any] | None = None

    def of(self, path: str) -> Q:
        """The condition "the row reached through `path` is in the chunk" ("pk" for the table
        itself, "person__pk" from a model with a foreign key to it…)."""
        found = Q(**{f"{path}__{self.lookup}": self.value})
        if self.within:
            prefix = path.removesuffix("pk")
            found &= Q(**{f"{prefix}{key}": value for key, value in self.within.items()})
        return found


def run_in_chunks(
    job: Callable[[Chunk], Counter[str]],
    model: type[models.Model],
    ids: Iterable[int] | None,
    size: int,
    within: dict[str, Any] | None = None,
) -> Counter[str]:
    """Runs `job` once for the given primary keys or, when `ids` is None, for each consecutive
    range of `size` keys of the whole table (the rows matching `within` only), and adds up the
    counters it returns. A whole-table run on PostgreSQL spreads the ranges over
    `settings.PARCOURS_NIGHTLY_PROCESSES` processes (each chunk reads, computes and commits on
    its own, so chunks are independent)."""
    if ids is not None:
        return job(Chunk("in", sorted(set(ids)), within))
    chunks = [Chunk("range", bounds, within) for bounds in id_ranges(model, size)]
    processes = min(nightly_processes(), len(chunks))
    if processes > 1:
        return _run_in_processes(job, chunks, processes)
    totals: Counter[str] = Counter()
    for chunk in chunks:
        totals.update(job(chunk))
    return totals


def nightly_processes() -> int:
    """How many processes a whole-table run uses: the setting on PostgreSQL; one on SQLite (one
    writer at a time, and a test database in memory that a child process cannot reach) and
    inside a transaction (a child would not see its uncommitted rows)."""
    wanted = int(getattr(settings, "PARCOURS_NIGHTLY_PROCESSES", 1) or 1)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, wanted)


# The job of the running `_run_in_processes`: children forked from this process inherit it
# (a closure cannot be pickled; the chunks can).
_JOB: Callable[[Chunk], Counter[str]] | None = None


def _run_chunk(chunk: Chunk) -> Counter[str]:
    assert _JOB is not None
    try:
        return _JOB(chunk)
    finally:
        db_connections.close_all()


def _run_in_processes(
    job: Callable[[Chunk], Counter[str]], chunks: list[Chunk], processes: int
) -> Counter[str]:
    """The chunks on `processes` forked children, each with its own database connection."""
    global _JOB
    _JOB = job
    # A forked child must not share the parent's socket: each opens its own connection.
    db_connections.close_all()
    totals: Counter[str] = Counter()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            for counts in pool.map(_run_chunk, chunks):
                totals.update(counts)
    finally:
        _JOB = None
    return totals
