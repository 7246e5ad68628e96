"""Issue 13 (R-COMPLIANCE): an automatic status no longer says *manquement* (the breach the CPIP
records and reports) but *justificatif manquant* (`sans_justificatif`). Stored statuses set
automatically (their explanation says no accepted proof was received) move to the new value,
with the new explanation; statuses held by a recorded manquement stay. A person whose stored
*manquement* came only from such obligations moves too. The nightly recomputation
(recompute_compliance) writes the same values: this migration only avoids a day of stale
labels."""

import re

from django.db import migrations, models
from django.db.models import Exists, OuterRef

AUTOMATIC_PREFIX = "Manquement : aucun justificatif accepté"
THRESHOLD = re.compile(r"\(seuil de manquement : ([^)]*)\)\.")
LENGTH = 400


def new_explanation(text: str) -> str:
    text = "Justificatif manquant" + text.removeprefix("Manquement")
    text = THRESHOLD.sub(
        r"(au-delà de \1). Ce n'est pas un manquement constaté : au CPIP de l'apprécier.", text
    )
    return text[:LENGTH]


def forwards(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    Person = apps.get_model("people", "Person")
    rows = list(
        Obligation.objects.filter(
            compliance_status="manquement", compliance_explanation__startswith=AUTOMATIC_PREFIX
        ).only("pk", "compliance_explanation")
    )
    for row in rows:
        row.compliance_status = "sans_justificatif"
        row.compliance_explanation = new_explanation(row.compliance_explanation)
    Obligation.objects.bulk_update(
        rows, ["compliance_status", "compliance_explanation"], batch_size=500
    )
    still_in_breach = Obligation.objects.filter(
        measure__person=OuterRef("pk"), compliance_status="manquement"
    )
    missing = Obligation.objects.filter(
        measure__person=OuterRef("pk"), compliance_status="sans_justificatif"
    )
    Person.objects.filter(compliance_status="manquement").filter(
        ~Exists(still_in_breach), Exists(missing)
    ).update(compliance_status="sans_justificatif")


def backwards(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    Person = apps.get_model("people", "Person")
    Obligation.objects.filter(compliance_status="sans_justificatif").update(
        compliance_status="manquement"
    )
    Person.objects.filter(compliance_status="sans_justificatif").update(
        compliance_status="manquement"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("obligations", "0003_obligation_compliance_status"),
        ("people", "0002_person_compliance_status"),
    ]

    operations = [
        migrations.AlterField(
            model_name="obligation",
            name="compliance_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("a_jour", "À jour"),
                    ("justificatif_attendu", "Justificatif attendu"),
                    ("en_retard", "En retard"),
                    ("sans_justificatif", "Justificatif manquant"),
                    ("manquement", "Manquement"),
                ],
                editable=False,
                max_length=20,
                verbose_name="suivi",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
