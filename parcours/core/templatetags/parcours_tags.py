from datetime import date

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.html import format_html

from parcours.rules.compliance import STATUS_LABELS, worst_status
from parcours.rules.identity import age_on

register = template.Library()


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
def measure_compliance(obligations: object) -> str:
    """Roll-up of a measure from its obligations' stored statuses (worst of the followed ones;
    blank when none is followed). Reads the prefetched obligations: no query."""
    statuses = [o.compliance_status for o in obligations if o.compliance_status]  # type: ignore[attr-defined]
    return worst_status(statuses) if statuses else ""


@register.filter
def percent(value: float | None) -> str:
    """0.853 → « 85,3 % »; None (nothing to divide) → « — »."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}".replace(".", ",") + " %"
