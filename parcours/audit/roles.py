"""The application's PostgreSQL role (ADR 0003): it reads and writes the case data, but on the
journal it may only INSERT and SELECT. It owns nothing, so it cannot ALTER the journal, disable
its triggers or TRUNCATE it; not a superuser, so it cannot SET session_replication_role.
Migrations, `create_app_role` and `purge_journal` run as the owner of the tables."""

from __future__ import annotations

from psycopg import sql

JOURNAL = "audit_auditevent"


def statements(
    role: str, database: str, *, exists: bool, password: str | None
) -> list[sql.Composed]:
    """The SQL, in order, for the database's owner (or a superuser) to run."""
    r = sql.Identifier(role)
    attributes: sql.Composable = sql.SQL(
        "LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS"
    )
    if password is not None:
        attributes = sql.SQL("{} PASSWORD {}").format(attributes, sql.Literal(password))
    verb = sql.SQL("ALTER ROLE" if exists else "CREATE ROLE")
    journal = sql.Identifier(JOURNAL)
    dml = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
    return [
        sql.SQL("{} {} {}").format(verb, r, attributes),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(r),
        # Start from nothing, so a second run also takes back what was granted by hand.
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(r),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(dml, r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        # The journal: append and read only (no UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER).
        sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(journal, r),
        sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(journal, r),
        # Tables and sequences the owner creates later (new migrations) are the application's.
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {} ON TABLES TO {}").format(
            dml, r
        ),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(r),
    ]
