"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_spr_evaluations_from_reports")]

    operations = [
        # Served by measure_person_status_idx.
        DropForeignKeyIndex(model_name="measure", name="person"),
        # Served by measure_type_status_idx.
        DropForeignKeyIndex(model_name="measure", name="measure_type"),
        # Served by evaluation_measure_idx.
        DropForeignKeyIndex(model_name="measureevaluation", name="measure"),
    ]
