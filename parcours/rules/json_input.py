"""Readers of decoded JSON values for the command-line forms of the engines (`measure_json` for
`manage.py measure_deadlines`, `sentences_json` for `manage.py sentence_dates`), pure functions.

Each engine has its own error class, built from the field's path and a French message
(`MeasureInputError`, `sentences.InputError`); the readers take it as `error` so that both refuse
malformed input the same way while keeping their own words.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

FieldError = Callable[[str, str], Exception]  # (path of the field, French message) → exception


def refuse_unknown(
    data: Mapping[str, Any], allowed: Collection[str], path: str, error: FieldError
) -> None:
    """Refuses the first (alphabetically) field of `data` that is not `allowed`: a misspelt field
    would otherwise be silently ignored. `path` is the object's own ("" at the root)."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise error(f"{path}.{unknown[0]}" if path else unknown[0], "champ inconnu.")


def optional_bool(value: object, path: str, error: FieldError, message: str) -> bool:
    """A JSON boolean; absent (None) reads as false, anything else is refused with `message`."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise error(path, message)
    return value


def optional_list(value: object, path: str, error: FieldError, message: str) -> list[Any]:
    """A JSON array; absent (None) reads as empty, anything else is refused with `message`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise error(path, message)
    return value
