"""Stored message texts written with "(e)" forms ("convoqué(e)", "attendu(e)", "présenté(e)")
use the gendered placeholders instead ({convoque}, {attendu}, {presente}), which agree with the
person's recorded sex. Texts that do not use these forms are left as they are."""

from typing import Any

from django.db import migrations

FORWARD = {"convoqué(e)": "{convoque}", "attendu(e)": "{attendu}", "présenté(e)": "{presente}"}


def _rewrite(apps: Any, replacements: dict[str, str]) -> None:
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for row in MessageTemplate.objects.all():
        subject, body = row.subject, row.body
        for old, new in replacements.items():
            subject, body = subject.replace(old, new), body.replace(old, new)
        if (subject, body) != (row.subject, row.body):
            MessageTemplate.objects.filter(pk=row.pk).update(subject=subject, body=body)


def forward(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, {new: old for old, new in FORWARD.items()})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
