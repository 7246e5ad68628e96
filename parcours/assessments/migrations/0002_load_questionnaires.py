from django.db import migrations


def load(apps, schema_editor):
    from parcours.assessments.definitions import sync_questionnaires

    sync_questionnaires(apps.get_model("assessments", "QuestionnaireVersion"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
