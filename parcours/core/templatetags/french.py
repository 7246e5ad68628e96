"""French grammar and formats in every template (a builtin library, config/settings.py
TEMPLATES). The filters call parcours.rules.french, the one formatting layer that SMS and
documents use too."""

from __future__ import annotations

from collections.abc import Sized
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from parcours.rules.french import agree, civility, euros, flat_label, long_date, plural_s

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


@register.filter
def montant(value: Any) -> str:
    """`{{ ledger.amount_ordered|montant }}`: "1 200,00 €" (empty value: "—")."""
    if value is None or value == "":
        return "—"
    try:
        return euros(value)
    except ValueError:
        return "—"


@register.filter
def date_longue(value: Any) -> str:
    """`{{ day|date_longue }}`: "27 novembre 2026" (an aware datetime in the current zone; an
    ISO string such as a template version "2026-01-01" too)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return long_date(value)
    return ""


@register.filter
def accord(sex: Any, word: str) -> str:
    """`{{ person.sex|accord:"né" }}`: "né", "née", or "né(e)" when the sex is not recorded."""
    return agree(str(sex or ""), word)


@register.filter
def civilite(sex: Any) -> str:
    """`{{ person.sex|civilite }}`: "Monsieur", "Madame" or "Madame, Monsieur"."""
    return civility(str(sex or ""))


@register.filter
def libelle_plat(label: Any) -> str:
    """`({{ user.get_role_display|libelle_plat }})`: no parentheses inside parentheses."""
    return flat_label(str(label or ""))
