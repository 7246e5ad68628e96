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


@register.filter
def motif_label(value: str) -> str:
    """The French label of a consultation motif stored in the journal ("permanence" → …)."""
    from parcours.people.access import Motif

    if not value:
        return ""
    try:
        return str(Motif(value).label)
    except ValueError:
        return value.capitalize()
