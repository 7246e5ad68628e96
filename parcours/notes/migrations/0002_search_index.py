"""Full-text index of notes: FTS5 + triggers on SQLite, GIN on PostgreSQL (see notes/fts.py)."""

from django.db import migrations

from parcours.notes import fts


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    fts.install(schema_editor)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    fts.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
