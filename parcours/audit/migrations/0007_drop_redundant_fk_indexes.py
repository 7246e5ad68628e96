"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_journal_append_function")]

    operations = [
        # Served by audit_actor_at_idx.
        DropForeignKeyIndex(model_name="auditevent", name="actor"),
        # Served by audit_spip_at_idx.
        DropForeignKeyIndex(model_name="auditevent", name="spip"),
    ]
