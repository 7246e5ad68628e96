from django.db import migrations


def load(apps, schema_editor):
    from parcours.obligations.loader import load_obligation_types

    load_obligation_types(apps.get_model("obligations", "ObligationType"))


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_obligation_proof_models")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
