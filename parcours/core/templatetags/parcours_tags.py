from datetime import date

from django import template
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from parcours.rules.compliance import STATUS_LABELS
from parcours.rules.identity import age_on

register = template.Library()

FIELD_TEMPLATE = "includes/field.html"


@register.filter
def input_type(field: BoundField) -> str:
    """The `input_type` of a form field's widget ("text", "select", "radio", "checkbox"…), or ""
    for a widget that has none (a textarea): includes/field.html picks its DSFR markup by it."""
    return str(getattr(field.field.widget, "input_type", ""))


@register.filter
def age(birth_date: date | None) -> str:
    if birth_date is None:
        return ""
    return f"{age_on(birth_date, timezone.localdate())} ans"


# DSFR badge per compliance status (parcours.rules.compliance).
COMPLIANCE_BADGES = {
    "a_jour": "fr-badge--success",
    "justificatif_attendu": "fr-badge--info",
    "en_retard": "fr-badge--warning",
    "sans_justificatif": "fr-badge--new",
    "manquement": "fr-badge--error",
}


@register.simple_tag
def compliance_badge(status: str | None) -> str:
    """The DSFR badge of a compliance status; nothing for a blank status (nothing to check).
    Built in Python (no inclusion template): the caseload shows one per row."""
    label = STATUS_LABELS.get(status or "", "")
    if not label:
        return ""
    css = COMPLIANCE_BADGES.get(status or "", "")
    return format_html('<span class="fr-badge fr-badge--sm {}">{}</span>', css, label)


@register.filter
def percent(value: float | None) -> str:
    """0.853 → « 85,3 % »; None (nothing to divide) → « — »."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}".replace(".", ",") + " %"


# Widgets `includes/field.html` renders in its last branch (a text-like input or a select) with
# a DSFR class; the checkbox and radio branches, and any field in error, keep the include.
_GROUP_CLASSES = {"select": ("fr-select-group", "fr-select")}
_PLAIN_GROUP = ("fr-input-group", "fr-input")


@register.simple_tag
def filter_field(field: BoundField) -> str:
    """`{% include "includes/field.html" with field=… %}` for the fields of a filter bar,
    without an include per field: the same label, hint and widget markup (a filter bar renders
    6–8 fields on the most opened lists; tests/test_forms_renderer.py compares both). A field
    in error, a checkbox or a radio list goes through the include."""
    widget = field.field.widget
    kind = getattr(widget, "input_type", None)
    if field.errors or kind in (None, "checkbox", "radio") or widget.is_hidden:
        return render_to_string(FIELD_TEMPLATE, {"field": field})
    group, css = _GROUP_CLASSES.get(str(kind), _PLAIN_GROUP)
    hint = (
        format_html('<span class="fr-hint-text">{}</span>', field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div class="{}">\n  <label class="fr-label" for="{}">{}{}</label>\n  {}\n</div>',
        group,
        field.id_for_label,
        field.label,
        hint,
        field.as_widget(attrs={"class": css}),  # `render_field … class=` replaces the class
    )
