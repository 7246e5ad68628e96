"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("alerts", "0006_alert_spip_required")]

    operations = [
        # Served by alert_person_due_idx.
        DropForeignKeyIndex(model_name="alert", name="person"),
        # Served by alert_measure_kind_uniq.
        DropForeignKeyIndex(model_name="alert", name="measure"),
    ]
