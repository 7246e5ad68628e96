"""The caseload's table rows, built in Python.

The caseload is the most opened page. Its 25 rows were ~15 template nodes each (link, dates,
tags per measure, badge, referent): most of the page's server time after the queries
(docs/benchmarks.md). `caseload_rows` writes the same cells with `format_html` (every value
escaped); tests/test_people.py checks the cells' content.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from parcours.core.templatetags.parcours_tags import compliance_badge
from parcours.people.models import Person

register = template.Library()

_PLACEHOLDER = UUID(int=0)
MEASURE_SUFFIX = {"suspendue": " (suspendue)", "a_venir": " (à venir)"}
DASH = "—"


def _measures(person: Person) -> SafeString:
    measures = getattr(person, "current_measures", ())
    if not measures:
        return mark_safe(DASH)  # noqa: S308 — a constant
    return format_html_join(
        "",
        '<span class="fr-tag fr-tag--sm fr-mr-1v">{}{}</span>',
        (
            (truncatechars(m.measure_type.label, 40), MEASURE_SUFFIX.get(m.status, ""))
            for m in measures
        ),
    )


def _referent(person: Person) -> SafeString:
    if person.referent is None:
        return mark_safe(
            '<span class="fr-badge fr-badge--warning fr-badge--sm">Non attribué</span>'
        )
    return format_html("{}", person.referent.get_full_name())


@register.simple_tag
def caseload_rows(people: Iterable[Person]) -> SafeString:
    """One `<tr>` per person: name (link to the file), birth date, APPI number, current
    measures, compliance badge, referent, antenna."""
    detail = reverse("people:detail", args=[_PLACEHOLDER])
    rows = []
    for p in people:
        rows.append(
            format_html(
                '<tr>\n      <td><a href="{}">{} {}</a></td>\n      <td>{}</td>\n'
                "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n"
                "      <td>{}</td>\n    </tr>",
                detail.replace(str(_PLACEHOLDER), str(p.public_id)),
                p.last_name.upper(),
                p.first_names,
                p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "",
                p.appi_number or DASH,
                _measures(p),
                compliance_badge(p.compliance_status) or DASH,
                _referent(p),
                p.antenna or DASH,
            )
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 — each row is built by format_html
