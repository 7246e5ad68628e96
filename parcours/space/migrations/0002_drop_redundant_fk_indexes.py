"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("space", "0001_initial")]

    operations = [
        # Served by space_session_person_idx.
        DropForeignKeyIndex(model_name="personsession", name="person"),
        # Served by space_notice_person_idx.
        DropForeignKeyIndex(model_name="spacenotice", name="person"),
    ]
