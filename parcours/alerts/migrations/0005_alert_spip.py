# The person's SPIP on each alert, with an index on (SPIP, due date): a SPIP's "A traiter" list
# and counts read only its own alerts instead of probing the alerts of each of its people
# (models.Alert.spip). Filled from the people for the alerts already written; made required and
# indexed in 0006 (apart: PostgreSQL refuses to alter a table with the fill's pending FK checks).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_spip(apps, schema_editor):
    Alert = apps.get_model("alerts", "Alert")
    Person = apps.get_model("people", "Person")
    spip = Person.objects.filter(pk=OuterRef("person_id")).values("spip_id")[:1]
    Alert.objects.update(spip_id=Subquery(spip))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("alerts", "0004_drop_due_date_index"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="spip",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(fill_spip, migrations.RunPython.noop),
    ]
