from django import template

from parcours.people.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """+33612345678 → 06 12 34 56 78 (national format of the number's own region)."""
    return display_phone(value or "")
