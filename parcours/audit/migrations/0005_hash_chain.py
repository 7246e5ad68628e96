"""The journal's hash chain (ADR 0003): two columns, the existing rows chained in id order, and
the triggers (re)made, with one more on SQLite refusing `INSERT OR REPLACE` of an existing id.

On SQLite, adding a NOT NULL column rebuilds the table, which drops its triggers: this migration
creates them again after the rows are chained. It runs as the database owner (on PostgreSQL the
update trigger is disabled for the chaining, inside this migration's transaction)."""

from django.db import migrations, models
from django.utils import timezone

from parcours.audit import chain
from parcours.audit.triggers import SQLITE_DROP, SQLITE_TRIGGERS

CHUNK = 2000


def chain_rows(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    AuditEvent = apps.get_model("audit", "AuditEvent")
    fields = chain.content_fields()
    if vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER refuses pending checks
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
    prev, last_id = chain.GENESIS, 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            rows = list(
                AuditEvent.objects.filter(id__gt=last_id)
                .order_by("id")
                .values("id", *fields)[:CHUNK]
            )
            if not rows:
                break
            for row in rows:
                row_hash = chain.link(prev, row, fields)
                cursor.execute(
                    "UPDATE audit_auditevent SET prev_hash = %s, row_hash = %s WHERE id = %s",
                    [prev, row_hash, row["id"]],
                )
                prev, last_id = row_hash, row["id"]
    if vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_replace;")


def restore_0002_triggers(apps, schema_editor):
    """Backwards, last: removing the columns rebuilt the SQLite table without its triggers."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP[:2] + SQLITE_TRIGGERS[:2]:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_journal_actions_issue14")]
    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_0002_triggers),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=timezone.now, editable=False, verbose_name="date (UTC)"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="empreinte précédente"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="empreinte"
            ),
        ),
        migrations.RunPython(chain_rows, unchain),
    ]
