"""Existing data for the measure's timeline (issue 13).

- Incarceration periods: none is known for the existing people (people.IncarcerationPeriod starts
  empty: "unknown" is recorded as no incarceration, docs/legal-sources.md R-MIGRATION).
- A sursis probatoire renforcé's last evaluation: the yearly re-evaluation (CPP art. 741-2 al. 3)
  rolls from the last one recorded; for the existing measures it is the last evaluation or
  situation report transmitted to the JAP, on its transmission date (the SPIP's local date).
"""

from zoneinfo import ZoneInfo

from django.db import migrations

SPR = "sursis_probatoire_renforce"
EVALUATION_KINDS = ("evaluation", "situation")


def forwards(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Evaluation = apps.get_model("measures", "MeasureEvaluation")
    last: dict[int, tuple] = {}
    rows = Report.objects.filter(
        measure__measure_type__code=SPR,
        kind__in=EVALUATION_KINDS,
        transmitted_at__isnull=False,
    ).values_list("measure_id", "transmitted_at", "person__spip__timezone")
    for measure_id, at, zone in rows.iterator():
        day = at.astimezone(ZoneInfo(zone or "Europe/Paris")).date()
        if measure_id not in last or last[measure_id] < day:
            last[measure_id] = day
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                measure_id=measure_id,
                done_on=day,
                source="rapport transmis au JAP (reprise des données)",
            )
            for measure_id, day in sorted(last.items())
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_timeline_procedure_conviction_suspensions"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
