"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_avis_cap_kind")]

    operations = [
        # Served by report_person_idx.
        DropForeignKeyIndex(model_name="report", name="person"),
        # Served by report_author_status_idx.
        DropForeignKeyIndex(model_name="report", name="author"),
    ]
