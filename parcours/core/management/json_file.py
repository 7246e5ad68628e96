"""The base of the commands that read one JSON file (or `-` for the standard input), compute and
print the result as JSON (`sentence_dates`, `measure_deadlines`): a malformed input (unreadable
file, invalid JSON, a field the computation refuses) prints a French message on stderr and exits
with code 2."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

EXIT_MALFORMED = 2


class JsonFileCommand(BaseCommand):
    file_help: str  # the help of the `file` argument
    error_prefix = ""  # put before every error message

    def unreadable(self, source: str, error: OSError | UnicodeDecodeError) -> str:
        """The message of a file that cannot be read (or is not UTF-8)."""
        raise NotImplementedError

    def invalid(self, error: json.JSONDecodeError) -> str:
        """The message of a text that is not JSON."""
        raise NotImplementedError

    def compute(self, data: Any) -> Any:
        """The JSON-ready result of the input; calls `fail` on a field it refuses."""
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                with open(source, encoding="utf-8") as handle:
                    text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            self.fail(self.unreadable(source, error))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self.fail(self.invalid(error))
        self.stdout.write(json.dumps(self.compute(data), ensure_ascii=False, indent=2))

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(self.error_prefix + message)
        raise SystemExit(EXIT_MALFORMED)
