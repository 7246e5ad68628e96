"""The caseload's table rows, built in Python.

The caseload is the most opened page. Its 25 rows were ~15 template nodes each (link, dates,
tags per measure, badge, referent): most of the page's server time after the queries
(docs/benchmarks.md). `caseload_rows` writes the same cells with `format_html` (every value
escaped); tests/test_people.py checks the cells' content.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from parcours.core.templatetags.parcours_tags import compliance_badge
from parcours.rules.release import countdown_short

register = template.Library()

_PLACEHOLDER = UUID(int=0)
MEASURE_SUFFIX = {"suspendue": " (suspendue)", "a_venir": " (à venir)"}
DASH = "—"


@lru_cache(maxsize=1024)
def _measure_tag(label: str, status: str) -> SafeString:
    """One tag per (type, status): a handful of distinct values on any page, built once."""
    return format_html(
        '<span class="fr-tag fr-tag--sm fr-mr-1v">{}{}</span>',
        truncatechars(label, 40),
        MEASURE_SUFFIX.get(status, ""),
    )


@lru_cache(maxsize=64)
def _badge(status: str) -> str:
    return compliance_badge(status) or DASH


def _measures(row: dict[str, Any]) -> SafeString:
    measures = row.get("current_measures")
    if not measures:
        return mark_safe(DASH)  # noqa: S308 — a constant
    return mark_safe("".join(_measure_tag(m.label, m.status) for m in measures))  # noqa: S308


def _referent(row: dict[str, Any]) -> str:
    """The referent's name, escaped (User.get_full_name()), or the "Non attribué" badge."""
    if row["referent_id"] is None:
        return '<span class="fr-badge fr-badge--warning fr-badge--sm">Non attribué</span>'
    return _escape(f"{row['referent__first_name']} {row['referent__last_name']}".strip())


def _release(row: dict[str, Any], today: date) -> str:
    """The countdown badge of a detainee whose expected release is near (rules.release)."""
    release_on = row.get("release_on")
    if release_on is None:
        return ""
    return format_html(
        ' <span class="fr-badge fr-badge--sm fr-badge--info release-countdown" '
        'title="Libération prévisionnelle le {}">{}</span>',
        release_on.strftime("%d/%m/%Y"),
        countdown_short(release_on, today),
    )


def _escape(text: str) -> str:
    """What Django's `escape` writes (html.escape, quotes included), as a plain string: the rows
    are joined and marked safe once."""
    return html.escape(text, quote=True)


@register.simple_tag
def caseload_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """One `<tr>` per row of people.selectors.caseload: name (link to the file), birth date,
    APPI number, current measures, compliance badge, referent, antenna. Every value from the
    database is escaped here (`_escape`); the tags, badges and countdown are built escaped."""
    detail = reverse("people:detail", args=[_PLACEHOLDER])
    placeholder = str(_PLACEHOLDER)
    lines = []
    today = timezone.localdate()
    for p in rows:
        birth_date = p["birth_date"]
        url = detail.replace(placeholder, str(p["public_id"]))
        name = _escape(f"{p['last_name'].upper()} {p['first_names']}")
        antenna = _escape(p["antenna__name"]) if p["antenna_id"] is not None else DASH
        lines.append(
            f'<tr>\n      <td><a href="{url}">{name}</a>{_release(p, today)}</td>\n'
            f"      <td>{birth_date.strftime('%d/%m/%Y') if birth_date else ''}</td>\n"
            f"      <td>{_escape(p['appi_number'] or DASH)}</td>\n"
            f"      <td>{_measures(p)}</td>\n"
            f"      <td>{_badge(p['compliance_status'] or '')}</td>\n"
            f"      <td>{_referent(p)}</td>\n"
            f"      <td>{antenna}</td>\n    </tr>"
        )
    return mark_safe("\n    ".join(lines))  # noqa: S308 — every value escaped above
