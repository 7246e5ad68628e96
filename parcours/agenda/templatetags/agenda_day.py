"""The agenda day's table rows, built in Python (as the caseload's rows,
people.templatetags.caseload): one template node per page instead of ~15 per row. Every value
is escaped by `format_html`; tests/agenda/test_day_rows.py checks the cells."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from uuid import UUID

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from parcours.agenda.selectors import DayRow
from parcours.rules.agenda import AppointmentStatus
from parcours.rules.french import agree
from parcours.rules.vocabulary import ReplyAnswer

register = template.Library()

_PLACEHOLDER = UUID(int=0)


@register.simple_tag
def day_table_rows(rows: Iterable[DayRow], tz: tzinfo, now: datetime, can_book: bool) -> SafeString:
    """The `<tr>` of each appointment (time, type, person linked to the appointment, status),
    then of each slot's free places (with "Réserver" for a future slot when `can_book`); times
    in the agenda's time zone `tz`."""
    detail = reverse("agenda:detail", args=[_PLACEHOLDER])
    book = reverse("agenda:slot_book", args=[_PLACEHOLDER])
    placeholder = str(_PLACEHOLDER)

    def hm(moment: datetime) -> str:
        return localtime(moment, tz).strftime("%H:%M")

    html: list[str] = []
    for row in rows:
        slot = row.slot
        for a in row.appointments:
            planned = a.status == AppointmentStatus.PLANIFIE
            arrived = a.arrived_at and planned
            reply = a.last_reply if planned and not arrived else None
            tone = "success" if reply == ReplyAnswer.CONFIRME else "warning"
            html.append(
                format_html(
                    '<tr><td>{}–{}</td><td>{}</td><td><a href="{}">{} {}</a></td>'
                    "<td>{}{}{}</td></tr>",
                    hm(a.starts_at),
                    hm(a.ends_at),
                    a.type_label,
                    detail.replace(placeholder, str(a.public_id)),
                    a.last_name.upper(),
                    a.first_names,
                    a.status_label,
                    f" · {agree(a.sex, 'arrivé')}" if arrived else "",
                    format_html(
                        ' <span class="fr-badge fr-badge--sm fr-badge--{}">{}</span>',
                        tone,
                        ReplyAnswer(reply).label,
                    )
                    if reply
                    else "",
                )
            )
        if slot is None:
            continue
        link = can_book and row.at > now
        url = book.replace(placeholder, str(slot.public_id))
        if row.appointments:
            if not slot.remaining:
                continue
            plural = "s" if slot.remaining != 1 else ""
            free = format_html("<em>{} place{} libre{}</em>", slot.remaining, plural, plural)
            reserve = format_html(' · <a href="{}">Réserver</a>', url) if link else ""
        else:
            free = mark_safe("<em>Créneau libre</em>")
            reserve = (
                format_html(
                    ' · <a href="{}">Réserver<span class="fr-sr-only"> le créneau de {}</span></a>',
                    url,
                    hm(row.at),
                )
                if link
                else ""
            )
        html.append(
            format_html(
                '<tr><td>{}</td><td>{}</td><td colspan="2">{}{}</td></tr>',
                hm(row.at),
                slot.type_label,
                free,
                reserve,
            )
        )
    return mark_safe("\n".join(html))  # noqa: S308 — each row is built by format_html
