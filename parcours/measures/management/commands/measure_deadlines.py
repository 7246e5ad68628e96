"""`manage.py measure_deadlines FILE.json` (or `-` for stdin): the legal deadlines of one measure
described in JSON (rules.measure_json), printed as JSON. Exit code 2 with a French message on a
malformed file. Reads no database: greffes and integrators compare Parcours with their practice.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from parcours.rules.measure_json import MeasureInputError, deadlines_from_json

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Calcule la fin prévue et les échéances légales d'une mesure décrite dans un fichier "
        "JSON (« - » pour l'entrée standard) et les affiche en JSON."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier JSON décrivant la mesure, ou « - »")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            self._fail(f"Fichier illisible : {path} ({error.strerror or error}).")
        except UnicodeDecodeError:
            self._fail(f"Fichier illisible : {path} n'est pas encodé en UTF-8.")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self._fail(
                f"JSON invalide : {error.msg} (ligne {error.lineno}, colonne {error.colno})."
            )
        try:
            result = deadlines_from_json(data, now=timezone.now())
        except MeasureInputError as error:
            self._fail(str(error))
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(EXIT_BAD_INPUT)
