"""French grammar in every template (a builtin library, config/settings.py TEMPLATES)."""

from __future__ import annotations

from collections.abc import Sized
from typing import Any

from django import template

from parcours.rules.french import plural_s

register = template.Library()


@register.filter
def pluriel(value: Any) -> str:
    """`note{{ count|pluriel }}`: "s" from 2 on (French: "0 note", "1 note", "2 notes"); a
    sequence counts by its length, like Django's `pluralize`, which says "0 notes"."""
    if isinstance(value, Sized) and not isinstance(value, str):
        return plural_s(len(value))
    try:
        return plural_s(float(value))
    except (TypeError, ValueError):
        return ""
