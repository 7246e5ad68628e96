"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("checkins", "0001_checkins")]

    operations = [
        # Served by checkin_plan_unique.
        DropForeignKeyIndex(model_name="checkinplan", name="person"),
        # Served by checkin_due_unique.
        DropForeignKeyIndex(model_name="checkin", name="plan"),
        # Served by checkin_person_idx.
        DropForeignKeyIndex(model_name="checkin", name="person"),
    ]
