"""Convocation letters (DOCX and PDF), the printable day agenda and the iCalendar feed.

Every date and time is written in the SPIP's own time zone (a Réunion convocation says 14 h in
Saint-Denis, not Paris time)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event

from parcours.accounts.models import User
from parcours.documents import (
    Block,
    Bullets,
    Document,
    Header,
    KeyValues,
    Paragraph,
    Section,
    build_docx,
    build_pdf,
    date_line,
)
from parcours.people.documents import printed_name, with_appi
from parcours.people.phones import display_phone
from parcours.rules.french import MONTHS, WEEKDAYS, agree, civility, long_datetime, short_date

from .models import Appointment, Place


def french_datetime(moment: datetime, tz: object) -> str:
    """ "mardi 1 décembre 2026 à 14 h 30" in the place's zone."""
    return long_datetime(moment, str(tz))


def _header(place: Place) -> Header:
    lines = [place.organisation.name, place.full_address]
    return Header(
        service=place.spip.name,
        lines=lines,
        phone=display_phone(place.phone) if place.phone else "",
    )


LETTER_TEMPLATES = Path(__file__).parent / "data" / "letter_templates.json"


@cache
def _letter_versions() -> tuple[dict[str, Any], ...]:
    data = json.loads(LETTER_TEMPLATES.read_text(encoding="utf-8"))
    return tuple(sorted(data["versions"], key=lambda v: v["effective_from"]))


def letter_template(on: date) -> dict[str, Any]:
    """The letter texts in force on `on` (the latest version whose date is not after it)."""
    versions = [v for v in _letter_versions() if date.fromisoformat(v["effective_from"]) <= on]
    return versions[-1] if versions else _letter_versions()[0]


def convocation_document(appointment: Appointment, *, on: date | None = None) -> Document:
    texts = letter_template(on or timezone.localdate())
    place = appointment.place
    person = appointment.person
    tz = place.tz
    when = french_datetime(appointment.starts_at, tz)
    measure = appointment.measure
    details: list[tuple[str, str]] = [
        ("Date et heure", when),
        ("Lieu", f"{place.name}, {place.full_address}"),
        ("Objet", appointment.appointment_type.label),
    ]
    if appointment.agent is not None:
        received = agree(person.sex, "reçu")
        details.append((f"Vous serez {received} par", appointment.agent.get_full_name()))
    if measure is not None:
        details.append(
            (
                "Mesure",
                f"{measure.measure_type.label} (jugement du {short_date(measure.judgment_date)})",
            )
        )
    to_bring = [line.strip() for line in place.documents_to_bring.splitlines() if line.strip()]
    telephone = f" au {display_phone(place.phone)}" if place.phone else ""
    sections = [
        # Not headed "Convocation": the title already says it (no duplicated title line).
        Section(
            texts["details_heading"],
            [
                Paragraph(texts["intro"].format(convoque=agree(person.sex, "convoqué"))),
                KeyValues(details),
            ],
        ),
        Section(texts["documents_heading"], [Bullets(to_bring or texts["default_documents"])]),
        Section(
            texts["absence_heading"],
            [Paragraph(texts["absence"].format(telephone=telephone)), *_access_blocks(place)],
        ),
    ]
    references = with_appi([f"Réf. : convocation {str(appointment.public_id)[:8].upper()}"], person)
    return Document(
        header=_header(place),
        title=texts["title"],
        date_line=date_line(place.city, appointment.created_at or appointment.starts_at, str(tz)),
        references=references,
        addressee=_addressee(appointment),
        sections=sections,
        signature=[texts["signature"]],
        footer=f"{place.spip.name} — {place.full_address}",
        metadata={"title": "Convocation", "author": place.spip.name},
    )


def _access_blocks(place: Place) -> list[Block]:
    if not place.access_url:
        return []
    return [Paragraph(f"Informations d'accès : {place.access_url}")]


def _addressee(appointment: Appointment) -> list[str]:
    person = appointment.person
    civil = civility(person.sex)
    name = printed_name(person)
    lines = [f"{civil} {name}" if civil != "Madame, Monsieur" else name]
    address = person.addresses.filter(until__isnull=True).order_by("-since").first()
    if address is not None:
        lines += [address.line, f"{address.postal_code} {address.city}"]
    return lines


def convocation_docx(appointment: Appointment) -> bytes:
    return build_docx(convocation_document(appointment))


def convocation_pdf(appointment: Appointment) -> bytes:
    return build_pdf(convocation_document(appointment))


def day_agenda_document(place: Place, day: date, appointments: Sequence[Appointment]) -> Document:
    tz = place.tz
    rows: list[tuple[str, str]] = []
    for appointment in appointments:
        local = appointment.starts_at.astimezone(tz)
        agent = appointment.agent.get_full_name() if appointment.agent else "—"
        rows.append(
            (
                f"{local:%H:%M}",
                f"{appointment.person.last_name.upper()} {appointment.person.first_names} — "
                f"{appointment.appointment_type.label} — {agent} — "
                f"{appointment.get_status_display()}"
                + (
                    f" — {agree(appointment.person.sex, 'arrivé')}"
                    if appointment.arrived_at
                    else ""
                ),
            )
        )
    label = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
    blocks: list[Block] = (
        [KeyValues(rows)] if rows else [Paragraph("Aucun rendez-vous ce jour-là.")]
    )
    return Document(
        header=_header(place),
        title=f"Agenda du {label}",
        date_line="",
        references=[f"Lieu : {place.name}", f"{len(rows)} rendez-vous"],
        sections=[Section("Rendez-vous", blocks)],
        footer="Document interne — ne pas afficher dans la salle d'attente.",
        metadata={"title": f"Agenda {place.name} {day:%d/%m/%Y}", "author": place.spip.name},
    )


def day_agenda_pdf(place: Place, day: date, appointments: Sequence[Appointment]) -> bytes:
    return build_pdf(day_agenda_document(place, day, appointments))


def initials(first_names: str, last_name: str) -> str:
    first = (first_names or "?").strip()[:1]
    last = (last_name or "?").strip()[:1]
    return f"{first}.{last}.".upper()


def ical_feed(user: User, appointments: Iterable[Appointment]) -> bytes:
    """No sensitive data in events: initials and appointment type only, no measure, no notes."""
    calendar = Calendar()
    calendar.add("prodid", "-//Parcours//Agenda SPIP//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Parcours — {user.get_full_name()}")
    for appointment in appointments:
        event = Event()
        event.add("uid", f"{appointment.public_id}@parcours")
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add(
            "summary",
            f"{initials(appointment.person.first_names, appointment.person.last_name)} — "
            f"{appointment.appointment_type.label}",
        )
        event.add("location", appointment.place.name)
        status = "CANCELLED" if appointment.status == "annule" else "CONFIRMED"
        event.add("status", status)
        calendar.add_component(event)
    return calendar.to_ical()
