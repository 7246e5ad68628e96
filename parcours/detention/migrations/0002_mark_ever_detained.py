from django.db import migrations
from django.db.models import Exists, OuterRef


def mark(apps, schema_editor):
    """The people with an écrou recorded before the flag existed."""
    Person = apps.get_model("people", "Person")
    Ecrou = apps.get_model("detention", "Ecrou")
    held = Ecrou.objects.filter(person_id=OuterRef("pk"))
    Person.objects.filter(Exists(held)).update(ever_detained=True)


class Migration(migrations.Migration):
    dependencies = [
        ("detention", "0001_initial"),
        ("people", "0006_ever_detained"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
