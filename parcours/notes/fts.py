"""Database side of note search (docs/adr/0005-note-search.md), used by the migrations.

SQLite: an external-content FTS5 table over `notes_note.search_text`, kept in step by triggers.
A later migration that makes Django rebuild `notes_note` on SQLite (most ALTERs do) drops the
triggers with the old table: such a migration must call `install(schema_editor)` again.
PostgreSQL: a stored generated column `search_vector = to_tsvector('simple', search_text)` with a
GIN index; the keys are already stemmed and unaccented in Python (rules.text), so the 'simple'
configuration only splits on spaces.
"""

from __future__ import annotations

from typing import Any

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS notes_note_fts USING fts5("
    "search_text, content='notes_note', content_rowid='id')",
    "DROP TRIGGER IF EXISTS notes_note_fts_insert",
    "DROP TRIGGER IF EXISTS notes_note_fts_delete",
    "DROP TRIGGER IF EXISTS notes_note_fts_update",
    "CREATE TRIGGER notes_note_fts_insert AFTER INSERT ON notes_note BEGIN "
    "INSERT INTO notes_note_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER notes_note_fts_delete AFTER DELETE ON notes_note BEGIN "
    "INSERT INTO notes_note_fts(notes_note_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER notes_note_fts_update AFTER UPDATE ON notes_note BEGIN "
    "INSERT INTO notes_note_fts(notes_note_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO notes_note_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO notes_note_fts(notes_note_fts) VALUES ('rebuild')",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS notes_note_fts_insert",
    "DROP TRIGGER IF EXISTS notes_note_fts_delete",
    "DROP TRIGGER IF EXISTS notes_note_fts_update",
    "DROP TABLE IF EXISTS notes_note_fts",
]
# The tsvector is a stored generated column (unknown to the Django model): computed once on write,
# never per row at query time.
POSTGRESQL_COLUMN = [
    "ALTER TABLE notes_note ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
]
POSTGRESQL_INDEX = [
    "CREATE INDEX IF NOT EXISTS notes_note_search_gin ON notes_note USING gin (search_vector)",
]
POSTGRESQL_INSTALL = POSTGRESQL_COLUMN + POSTGRESQL_INDEX
POSTGRESQL_UNINSTALL = [
    "DROP INDEX IF EXISTS notes_note_search_gin",
    "ALTER TABLE notes_note DROP COLUMN IF EXISTS search_vector",
]


STATEMENTS = {
    "install": {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL},
    "uninstall": {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRESQL_UNINSTALL},
}


def _run(schema_editor: Any, step: str) -> None:
    """The statements of `step` for the database's vendor (none for another vendor)."""
    for sql in STATEMENTS[step].get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def install(schema_editor: Any) -> None:
    _run(schema_editor, "install")


def uninstall(schema_editor: Any) -> None:
    _run(schema_editor, "uninstall")
