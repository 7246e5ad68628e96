from django import template

from parcours.rules.vocabulary import Motif

register = template.Library()


@register.filter
def motif_label(value: str) -> str:
    """The French label of a consultation motif stored in the journal ("permanence" → …)."""
    if not value:
        return ""
    try:
        return str(Motif(value).label)
    except ValueError:
        return value.capitalize()
