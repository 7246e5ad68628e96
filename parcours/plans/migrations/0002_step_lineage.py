"""Step.lineage: the same step through the plan's versions (copied by "Nouvelle version").

AddField computes a callable default once for the rows already there, so each existing step then
takes its own public id as its lineage. Copies made before this migration are not reconnected to
their originals (their texts may have been edited in the draft): they start their own lineage."""

import uuid

from django.db import migrations, models
from django.db.models import F


def own_lineage(apps, schema_editor):
    Step = apps.get_model("plans", "Step")
    Step.objects.update(lineage=F("public_id"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="step",
            name="lineage",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.RunPython(own_lineage, migrations.RunPython.noop),
    ]
