"""`python manage.py sentence_dates FILE.json` (or `-` for stdin): the sentence-date engine's
contract (README, "Sentence-date engine"). Prints the output JSON; a malformed input (unreadable
file, invalid JSON, a field the engine refuses) prints a French error naming the field on stderr
and exits with code 2."""

from __future__ import annotations

import json
from typing import Any

from parcours.core.management.json_file import JsonFileCommand
from parcours.rules.sentences import InputError, compute
from parcours.rules.sentences_json import case_from_json, dates_to_json


class Command(JsonFileCommand):
    help = (
        "Calcule les dates d'une situation pénale (fichier JSON, ou « - » pour l'entrée standard)."
    )
    file_help = "Fichier JSON de la situation, ou « - » (entrée standard)."
    error_prefix = "Erreur : "

    def unreadable(self, source: str, error: OSError | UnicodeDecodeError) -> str:
        if isinstance(error, FileNotFoundError):
            reason = "fichier introuvable"
        elif isinstance(error, UnicodeDecodeError):
            reason = "le texte doit être en UTF-8"
        else:
            reason = "accès refusé ou fichier non lisible"
        return f"fichier illisible « {source} » ({reason})."

    def invalid(self, error: json.JSONDecodeError) -> str:
        return f"JSON invalide, ligne {error.lineno}, colonne {error.colno}."

    def compute(self, data: Any) -> Any:
        try:
            return dates_to_json(compute(case_from_json(data)))
        except InputError as error:
            self.fail(f"{error.field} : {error.message}")
