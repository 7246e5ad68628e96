"""Parameters of an obligation (place, person, distance, amount…), defined by its catalogue type.

Stored as JSON: text-like values as strings, dates as ISO strings, amounts as decimal strings,
distances as whole metres.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from parcours.rules.french import euros, short_date
from parcours.rules.vocabulary import ParameterType

FIELD_PREFIX = "param_"
TEXT_MAX = 200
MAX_AMOUNT = Decimal("10000000")
MAX_DISTANCE = 100_000


def form_field(definition: dict[str, Any]) -> forms.Field:
    label = str(definition.get("label") or definition["name"])
    required = bool(definition.get("required"))
    kind = definition.get("type", ParameterType.TEXT)
    if kind == ParameterType.DATE:
        return forms.DateField(
            label=label,
            required=required,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    if kind == ParameterType.AMOUNT:
        return forms.DecimalField(
            label=label,
            required=required,
            min_value=Decimal("0"),
            max_value=MAX_AMOUNT,
            decimal_places=2,
            max_digits=10,
        )
    if kind == ParameterType.DISTANCE:
        return forms.IntegerField(
            label=label, required=required, min_value=1, max_value=MAX_DISTANCE
        )
    return forms.CharField(label=label, required=required, max_length=TEXT_MAX, strip=True)


def to_json(definition: dict[str, Any], value: Any) -> Any:
    if value in (None, ""):
        return None
    kind = definition.get("type")
    if kind == ParameterType.DATE:
        return value.isoformat()
    if kind == ParameterType.AMOUNT:
        return str(value)
    return value


def from_json(definition: dict[str, Any], value: Any) -> Any:
    """The stored value as the form field expects it (for the edit form's initial values)."""
    if value in (None, ""):
        return None
    kind = definition.get("type")
    try:
        if kind == ParameterType.DATE:
            return date.fromisoformat(str(value))
        if kind == ParameterType.AMOUNT:
            return Decimal(str(value))
    except (ValueError, InvalidOperation):
        return None
    return value


def validate(definitions: list[dict[str, Any]], values: dict[str, Any]) -> dict[str, str]:
    """Checks stored parameters against the definitions; returns {name: French message}."""
    errors: dict[str, str] = {}
    known = {d["name"] for d in definitions}
    for name in values:
        if name not in known:
            errors[name] = f"Paramètre inconnu pour cette obligation : « {name} »."
    for definition in definitions:
        name = definition["name"]
        field = form_field(definition)
        try:
            field.clean(from_json(definition, values.get(name)) if name in values else None)
        except forms.ValidationError as error:
            errors[name] = f"{field.label} : {' '.join(error.messages)}"
    return errors


def summarise(definitions: list[dict[str, Any]], values: dict[str, Any]) -> str:
    parts = []
    for definition in definitions:
        value = values.get(definition["name"])
        if value in (None, ""):
            continue
        kind = definition.get("type")
        if kind == ParameterType.DATE:
            shown = from_json(definition, value)
            text = short_date(shown) if shown else str(value)
        elif kind == ParameterType.AMOUNT:
            try:
                text = euros(value)
            except ValueError:
                text = f"{value} €"
        elif kind == ParameterType.DISTANCE:
            text = f"{value} m"
        else:
            text = str(value)
        label = str(definition.get("label", definition["name"])).split(" (")[0]
        parts.append(f"{label} : {text}")
    return " · ".join(parts)
