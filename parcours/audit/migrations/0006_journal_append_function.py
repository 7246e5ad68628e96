"""PostgreSQL: the journal's append as one statement (`parcours_journal_append`).

The function takes the row's canonical content (parcours.audit.chain.content: the bytes that are
hashed, a JSON object keyed by column), serialises the chain's writers with the transaction-level
advisory lock, reads the last hash, computes the new one (SHA-256 of the previous hash, a newline
and the content: chain.link) and inserts the row from those same bytes. One round trip instead of
five (BEGIN, lock, last hash, INSERT, COMMIT) on each consultation; in autocommit the statement
is its own transaction, inside a business transaction it joins it (the lock is then held until
that transaction ends, as before).

A VOLATILE PL/pgSQL function takes a new snapshot for each statement under READ COMMITTED, so
the last-hash read after the lock sees the row of the writer that held it before.

Nothing on SQLite (its writers are serialised by the database's write lock; services.record
reads the last hash and inserts there). The SQL is frozen here: a change needs a new migration."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION parcours_journal_append(p_content bytea)
RETURNS TABLE (new_id bigint, new_prev_hash varchar, new_row_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_prev varchar;
BEGIN
    PERFORM pg_advisory_xact_lock(727287682834);  -- chain.ADVISORY_LOCK_KEY
    SELECT e.row_hash INTO v_prev FROM audit_auditevent e
        WHERE e.id = (SELECT MAX(m.id) FROM audit_auditevent m);
    v_prev := COALESCE(v_prev, repeat('0', 64));  -- chain.GENESIS
    RETURN QUERY
    INSERT INTO audit_auditevent (
        at, actor_id, actor_username, actor_role, actor_organisation, spip_id, action,
        object_type, object_id, object_label, person_public_id, motif, motif_detail,
        request_id, ip_address, details, prev_hash, row_hash
    )
    SELECT
        r.at, r.actor_id, r.actor_username, r.actor_role, r.actor_organisation, r.spip_id,
        r.action, r.object_type, r.object_id, r.object_label, r.person_public_id, r.motif,
        r.motif_detail, r.request_id, r.ip_address, r.details, v_prev,
        encode(sha256(convert_to(v_prev || E'
', 'UTF8') || p_content), 'hex')
    FROM jsonb_populate_record(NULL::audit_auditevent, convert_from(p_content, 'UTF8')::jsonb) r
    RETURNING id, prev_hash, row_hash;
END $$;
"""
DROP = "DROP FUNCTION IF EXISTS parcours_journal_append(bytea);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_hash_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
