"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("people", "0006_ever_detained")]

    operations = [
        # Served by person_spip_name_idx.
        DropForeignKeyIndex(model_name="person", name="spip"),
        # Served by person_antenna_name_idx.
        DropForeignKeyIndex(model_name="person", name="antenna"),
        # Served by person_referent_name_idx.
        DropForeignKeyIndex(model_name="person", name="referent"),
        # Served by incarceration_person_idx.
        DropForeignKeyIndex(model_name="incarcerationperiod", name="person"),
    ]
