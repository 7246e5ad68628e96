from django.db import migrations


def load(apps, schema_editor):
    from parcours.agenda.loader import load_appointment_types

    load_appointment_types(apps.get_model("agenda", "AppointmentType"))


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
