from django.db import migrations


def load(apps, schema_editor):
    from parcours.catalog.loader import load_measure_types

    load_measure_types(apps.get_model("catalog", "MeasureType"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
