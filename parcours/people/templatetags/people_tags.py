from typing import Any

from django import template

from parcours.people import panels
from parcours.people.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """+33612345678 → 06 12 34 56 78 (national format of the number's own region)."""
    return display_phone(value or "")


@register.simple_tag
def person_file_url(person_public_id: Any, key: str) -> str:
    """`{% person_file_url person.public_id "registres" %}`: the tab of the person file that shows
    that panel, with its anchor (people.panels.person_file_url)."""
    return panels.person_file_url(person_public_id, key)
