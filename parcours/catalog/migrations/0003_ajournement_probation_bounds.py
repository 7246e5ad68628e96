"""CP art. 132-63 (R-CP-132-63-65): the ajournement avec probation places the person under
probation "pendant un délai qui ne peut être supérieur à un an", with the probation regime of
132-43 to 132-46 (132-64). The catalogue rows loaded before carried no probation period; the
versions of 2023-01-01 get it (at most 12 months, no minimum in the text) and the articles
132-64 and 132-65. The loader (get_or_create) does not update existing rows, hence this
migration; data/measure_types.json says the same for new databases."""

from django.db import migrations

CODE = "ajournement_probation"
ARTICLES = ["CP art. 132-63", "CP art. 132-64", "CP art. 132-65"]


def forwards(apps, schema_editor):
    MeasureType = apps.get_model("catalog", "MeasureType")
    MeasureType.objects.filter(code=CODE).update(
        has_probation_period=True,
        min_probation_months=None,
        max_probation_months=12,
        articles=ARTICLES,
    )


def backwards(apps, schema_editor):
    MeasureType = apps.get_model("catalog", "MeasureType")
    MeasureType.objects.filter(code=CODE).update(
        has_probation_period=False,
        min_probation_months=None,
        max_probation_months=None,
        articles=["CP art. 132-63"],
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_load_measure_types")]
    operations = [migrations.RunPython(forwards, backwards)]
