"""`python manage.py sentence_dates FILE.json` (or `-` for stdin): the sentence-date engine's
contract (README, "Sentence-date engine"). Prints the output JSON; a malformed input (unreadable
file, invalid JSON, a field the engine refuses) prints a French error naming the field on stderr
and exits with code 2."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parcours.rules.sentences import InputError, compute
from parcours.rules.sentences_json import case_from_json, dates_to_json

EXIT_MALFORMED = 2


class Command(BaseCommand):
    help = (
        "Calcule les dates d'une situation pénale (fichier JSON, ou « - » pour l'entrée standard)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="Fichier JSON de la situation, ou « - » (entrée standard)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                with open(source, encoding="utf-8") as handle:
                    text = handle.read()
        except FileNotFoundError:
            self._fail(f"fichier illisible « {source} » (fichier introuvable).")
        except UnicodeDecodeError:
            self._fail(f"fichier illisible « {source} » (le texte doit être en UTF-8).")
        except OSError:
            self._fail(f"fichier illisible « {source} » (accès refusé ou fichier non lisible).")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self._fail(f"JSON invalide, ligne {error.lineno}, colonne {error.colno}.")
        try:
            dates = compute(case_from_json(data))
        except InputError as error:
            self._fail(f"{error.field} : {error.message}")
        self.stdout.write(json.dumps(dates_to_json(dates), ensure_ascii=False, indent=2))

    def _fail(self, message: str) -> None:
        self.stderr.write(f"Erreur : {message}")
        raise SystemExit(EXIT_MALFORMED)
