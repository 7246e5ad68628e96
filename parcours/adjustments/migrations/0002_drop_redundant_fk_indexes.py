"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("adjustments", "0001_initial")]

    operations = [
        # Served by adjustment_mark_unique_per_person.
        DropForeignKeyIndex(model_name="adjustmentmark", name="person"),
        # Served by commission_spip_idx.
        DropForeignKeyIndex(model_name="commission", name="spip"),
        # Served by commission_item_unique.
        DropForeignKeyIndex(model_name="commissionitem", name="commission"),
    ]
