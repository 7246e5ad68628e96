"""`manage.py create_app_role --role parcours_app [--password-env VAR] [--print]`: creates (or
brings back in line) the PostgreSQL role the application connects with — INSERT and SELECT only
on the journal. Run as the owner of the tables (the role that runs migrations)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from parcours.audit.roles import statements


class Command(BaseCommand):
    help = (
        "Crée le rôle PostgreSQL de l'application : lecture et écriture des données, "
        "ajout et lecture seuls sur le journal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default="parcours_app")
        parser.add_argument(
            "--password-env", help="variable d'environnement contenant le mot de passe du rôle"
        )
        parser.add_argument("--print", action="store_true", help="affiche le SQL sans l'exécuter")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("Cette commande ne concerne que PostgreSQL.")
        role = options["role"]
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"La variable {options['password_env']} est vide ou absente.")
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone() is not None
            database = connection.settings_dict["NAME"]
            raw = cursor.connection  # the psycopg connection, to render the identifiers
            run = statements(role, database, exists=exists, password=password)
            # What is printed never shows the password.
            shown = statements(role, database, exists=exists, password=password and "***")
            for statement, display in zip(run, shown, strict=True):
                self.stdout.write(display.as_string(raw) + ";")
                if not options["print"]:
                    cursor.execute(statement.as_string(raw))
        if not options["print"]:
            self.stdout.write(f"Rôle {role} prêt : ajout et lecture seuls sur le journal.")
