"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("notes", "0002_search_index")]

    operations = [
        # Served by notes_person_date.
        DropForeignKeyIndex(model_name="note", name="person"),
        # Served by notes_spip_date.
        DropForeignKeyIndex(model_name="note", name="spip"),
        # Served by notes_author_date.
        DropForeignKeyIndex(model_name="note", name="author"),
        # Served by notes_version_unique.
        DropForeignKeyIndex(model_name="noteversion", name="note"),
    ]
