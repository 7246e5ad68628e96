"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("breaches", "0003_proposal_rule")]

    operations = [
        # Served by breach_person_date_idx.
        DropForeignKeyIndex(model_name="breach", name="person"),
    ]
