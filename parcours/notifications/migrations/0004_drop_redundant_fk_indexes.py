"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_inbound_message")]

    operations = [
        # Served by message_person_idx.
        DropForeignKeyIndex(model_name="message", name="person"),
        # Served by message_spip_state_idx.
        DropForeignKeyIndex(model_name="message", name="spip"),
        # Served by inbound_person_idx.
        DropForeignKeyIndex(model_name="inboundmessage", name="person"),
        # Served by inbound_candidate_unique.
        DropForeignKeyIndex(model_name="inboundcandidate", name="inbound"),
    ]
