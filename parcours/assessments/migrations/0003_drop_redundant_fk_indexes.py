"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_load_questionnaires")]

    operations = [
        # Served by assess_person_idx.
        DropForeignKeyIndex(model_name="assessment", name="person"),
        # Served by digital_person_idx.
        DropForeignKeyIndex(model_name="digitalselfassessment", name="person"),
    ]
