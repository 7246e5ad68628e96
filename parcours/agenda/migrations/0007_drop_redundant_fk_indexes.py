"""Foreign-key indexes whose column leads a wider index of the same table (ADR 0027): that
index serves their lookups and the checks of their deletions; each insert maintained one index
more for nothing."""

from django.db import migrations

from parcours.core.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [("agenda", "0006_appointment_reply")]

    operations = [
        # Served by slot_agenda_start_unique.
        DropForeignKeyIndex(model_name="slot", name="agenda"),
        # Served by agenda_appo_person__ecdfe9_idx.
        DropForeignKeyIndex(model_name="appointment", name="person"),
        # Served by agenda_appo_spip_id_45958a_idx.
        DropForeignKeyIndex(model_name="appointment", name="spip"),
        # Served by agenda_appo_place_i_c73e2f_idx.
        DropForeignKeyIndex(model_name="appointment", name="place"),
        # Served by agenda_appo_agenda__ee4d6d_idx.
        DropForeignKeyIndex(model_name="appointment", name="agenda"),
        # Served by agenda_appo_agent_i_b12c6b_idx.
        DropForeignKeyIndex(model_name="appointment", name="agent"),
        # Served by reply_appointment_idx.
        DropForeignKeyIndex(model_name="appointmentreply", name="appointment"),
    ]
