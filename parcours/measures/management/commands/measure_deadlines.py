"""`manage.py measure_deadlines FILE.json` (or `-` for stdin): the legal deadlines of one measure
described in JSON (rules.measure_json), printed as JSON. Exit code 2 with a French message on a
malformed file. Reads no database: greffes and integrators compare Parcours with their practice.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from parcours.core.management.json_file import JsonFileCommand
from parcours.rules.measure_json import MeasureInputError, deadlines_from_json


class Command(JsonFileCommand):
    help = (
        "Calcule la fin prévue et les échéances légales d'une mesure décrite dans un fichier "
        "JSON (« - » pour l'entrée standard) et les affiche en JSON."
    )
    requires_system_checks: list[str] = []
    file_help = "fichier JSON décrivant la mesure, ou « - »"

    def unreadable(self, source: str, error: OSError | UnicodeDecodeError) -> str:
        if isinstance(error, UnicodeDecodeError):
            return f"Fichier illisible : {source} n'est pas encodé en UTF-8."
        return f"Fichier illisible : {source} ({error.strerror or error})."

    def invalid(self, error: json.JSONDecodeError) -> str:
        return f"JSON invalide : {error.msg} (ligne {error.lineno}, colonne {error.colno})."

    def compute(self, data: Any) -> Any:
        try:
            return deadlines_from_json(data, now=timezone.now())
        except MeasureInputError as error:
            self.fail(str(error))
