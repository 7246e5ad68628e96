"""Set-based writes of the national dataset: every row gets its primary key from the generator,
then one table at a time goes in by PostgreSQL `COPY` (psycopg 3) or by batched `executemany`
(SQLite), and the identity sequences are moved past the ids used."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from parcours.core import bulk


@dataclass
class Counts:
    """What was created and how long each step took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# The indexes of a table that no constraint relies on (not the primary key, not a unique).
SECONDARY_INDEXES = """
    SELECT i.relname, pg_get_indexdef(x.indexrelid)
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = %s AND t.relnamespace = 'public'::regnamespace AND NOT x.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""


# SQLite: the indexes created by statements (those of constraints declared inline have no SQL).
SQLITE_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
)


class Writer:
    """Writes rows (tuples in the order of `fields`, attribute names) of one model: `COPY` on
    PostgreSQL, batched `executemany` on SQLite (parcours.core.bulk). Primary keys are given by
    the caller."""

    def __init__(self) -> None:
        self.postgresql = connection.vendor == "postgresql"
        self.max_ids: dict[type[models.Model], int] = {}

    def write(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        # Start the generator now: its set-up queries (next ids) must run before COPY holds the
        # connection.
        source = iter(rows)
        first = next(source, None)
        if first is None:
            return 0
        rows = itertools.chain([first], source)
        count = 0
        top = 0
        table = connection.ops.quote_name(model._meta.db_table)
        write = bulk.copy_rows if self.postgresql else bulk.executemany_rows
        with connection.cursor() as cursor:
            # On an empty table, the secondary indexes are dropped and built after the load
            # (one sort each instead of one insertion per row).
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
            row = cursor.fetchone()
            rebuild: list[str] = []
            if row and not row[0]:
                cursor.execute(
                    SECONDARY_INDEXES if self.postgresql else SQLITE_INDEXES,
                    [model._meta.db_table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                    rebuild.append(definition)
            for written in write(cursor, model, fields, rows):
                count += 1
                top = max(top, written[0]) if fields[0] == "id" else top
            if rebuild and self.postgresql:
                # Django's foreign keys are deferred: check the loaded rows now, since an
                # index cannot be built while checks are pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for definition in rebuild:
                cursor.execute(definition)
            if rebuild and self.postgresql:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if top:
            self.max_ids[model] = max(self.max_ids.get(model, 0), top)
        return count

    def next_id(self, model: type[models.Model]) -> int:
        found = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
        return max(found, self.max_ids.get(model, 0)) + 1

    def fix_sequences(self) -> None:
        if not self.postgresql:
            return  # SQLite's rowid follows the largest id by itself
        with connection.cursor() as cursor:
            for model in self.max_ids:
                table = model._meta.db_table
                quoted = connection.ops.quote_name(table)  # a model's table, not user input
                top = f"(SELECT MAX(id) FROM {quoted})"  # noqa: S608
                sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {top})"
                cursor.execute(sql, [table])


class Loader:
    """Loads the generated tables one at a time, each in its own transaction, timed and counted;
    `say` reports each table."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.writer = Writer()
        self.counts = Counts()
        self.say = say

    def load(
        self,
        key: str,
        label: str,
        model: type[models.Model],
        fields: str,
        rows: Iterable[tuple[Any, ...]],
        *,
        numbered: bool = False,
    ) -> None:
        """Writes `rows` (tuples in the order of `fields`, space-separated attribute names).
        `numbered`: the rows come without their `id` (the first field), given here from the
        table's next free id, for the tables whose ids no other row needs."""
        if numbered:
            rows = ((pk, *row) for pk, row in enumerate(rows, start=self.writer.next_id(model)))
        start = time.perf_counter()
        with transaction.atomic():
            self.counts.rows[key] = self.writer.write(model, fields.split(), rows)
        self.counts.seconds[key] = time.perf_counter() - start
        self.say(f"{label} : {self.counts.rows[key]} en {self.counts.seconds[key]:.1f} s")
