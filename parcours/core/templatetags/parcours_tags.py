from datetime import date

from django import template
from django.utils import timezone

from parcours.people.phones import display_phone
from parcours.rules.identity import age_on

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """+33612345678 → 06 12 34 56 78 (national format of the number's own region)."""
    return display_phone(value or "")


@register.filter
def age(birth_date: date | None) -> str:
    if birth_date is None:
        return ""
    return f"{age_on(birth_date, timezone.localdate())} ans"
