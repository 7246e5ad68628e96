"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("detention", "0002_mark_ever_detained")]

    operations = [
        # Served by ecrou_person_idx.
        DropForeignKeyIndex(model_name="ecrou", name="person"),
        # Served by ecrou_number_unique_per_establishment.
        DropForeignKeyIndex(model_name="ecrou", name="establishment"),
        # Served by sentence_rank_unique.
        DropForeignKeyIndex(model_name="sentenceline", name="ecrou"),
    ]
