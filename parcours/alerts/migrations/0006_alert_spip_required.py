# Alert.spip required, and the (SPIP, due date) index (see 0005).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0005_alert_spip"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="spip",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(fields=["spip", "due_date"], name="alert_spip_due_idx"),
        ),
    ]
