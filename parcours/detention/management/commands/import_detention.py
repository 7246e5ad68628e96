"""`manage.py import_detention FICHIER.csv --spip 59 [--utilisateur dpip.demo] [--apercu]`:
imports a detention extract into a SPIP (parcours.detention.importer; docs/operations.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.detention import importer


class Command(BaseCommand):
    help = (
        "Importe un extrait de détention (CSV : une ligne par peine d'un écrou, plus les "
        "réductions et détentions à imputer) dans un SPIP. Idempotent ; rapport des rejets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fichier", help="chemin du fichier CSV, ou - pour l'entrée standard")
        parser.add_argument("--spip", required=True, help="code du SPIP (ex. 59)")
        parser.add_argument(
            "--utilisateur", default="", help="compte au nom duquel l'import est journalisé"
        )
        parser.add_argument(
            "--apercu", action="store_true", help="vérifie et compte sans rien enregistrer"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        spip = Organisation.objects.filter(kind=OrganisationKind.SPIP, code=options["spip"]).first()
        if spip is None:
            raise CommandError(f"SPIP inconnu : code « {options['spip']} ».")
        actor = None
        if options["utilisateur"]:
            actor = User.objects.filter(username=options["utilisateur"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Compte inconnu ou inactif : « {options['utilisateur']} ».")
        name = options["fichier"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {name} ({exc.strerror}).") from exc
        try:
            report = importer.run_import(
                actor, spip, data, apply=not options["apercu"], file_name=Path(name).name
            )
        except importer.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.as_text())
