"""A report as a `parcours.documents.Document` (the same structure for DOCX and PDF)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from parcours.documents import Document, Header, KeyValues, Section, date_line, text_blocks
from parcours.rules.french import agree, flat_label, short_date

from .headings import shown_sections
from .models import Report


def _spip_and_antenna(report: Report) -> tuple[str, list[str], str, str]:
    person = report.person
    spip = person.spip
    antenna = person.antenna
    lines = [antenna.name] if antenna is not None and antenna.pk != spip.pk else []
    # Organisations have no postal address or phone yet: shown when the model gets them.
    for attr in ("address", "postal_address"):
        value = getattr(antenna or spip, attr, "") or getattr(spip, attr, "")
        if value:
            lines.extend(str(value).splitlines())
            break
    phone = str(getattr(antenna or spip, "phone", "") or getattr(spip, "phone", "") or "")
    tz = spip.timezone
    return spip.name, lines, phone, tz


def report_document(
    report: Report, *, when: datetime | None = None, final: bool | None = None
) -> Document:
    """`final`: the transmitted version (no "PROJET" mark); by default, whether it is frozen."""
    final = report.is_frozen if final is None else final
    service, lines, phone, tz = _spip_and_antenna(report)
    when = when or report.transmitted_at or timezone.now()
    place = (report.person.antenna or report.person.spip).name
    for prefix in ("Antenne de ", "Antenne d'", "SPIP du ", "SPIP de ", "SPIP des "):
        place = place.removeprefix(prefix)
    measure = report.measure
    references = [f"Réf. : {report.reference}"]
    if measure is not None:
        judged = short_date(measure.judgment_date)
        references.append(f"Mesure : {measure.measure_type.label} — jugement du {judged}")
    if report.person.appi_number:
        references.append(f"N° APPI : {report.person.appi_number}")
    # The template version is internal (kept on the report, shown on screen): not printed.
    addressee = []
    if measure is not None and measure.tribunal_id:
        addressee = ["Madame, Monsieur le juge de l'application des peines", str(measure.tribunal)]
    person = report.person
    summary = KeyValues(
        [
            ("Personne suivie", f"{person.last_name.upper()} {person.first_names}"),
            (
                f"{agree(person.sex, 'Né')} le",
                short_date(person.birth_date) if person.birth_date else "non renseignée",
            ),
            ("Mesure", measure.measure_type.label if measure is not None else "—"),
            ("Rédacteur", report.author.get_full_name() or report.author.get_username()),
        ]
    )
    sections = [Section("Objet", [summary])]
    for section in shown_sections(report):
        text = str(report.content.get(section["key"], "") or "")
        sections.append(Section(section["heading"], text_blocks(text) or text_blocks("—")))
    signature = [
        report.author.get_full_name() or report.author.get_username(),
        flat_label(report.author.get_role_display()),
    ]
    if report.validated_by is not None:
        validator = report.validated_by.get_full_name() or report.validated_by.get_username()
        role = flat_label(report.validated_by.get_role_display())
        signature.append(f"Validé par {validator} ({role})")
    return Document(
        header=Header(service=service, lines=lines, phone=phone),
        title=report.get_kind_display(),
        date_line=date_line(place, when, tz),
        references=references,
        addressee=addressee,
        sections=sections,
        signature=signature,
        footer=f"{service} — {report.reference} — Document confidentiel",
        watermark="" if final else "PROJET — document non transmis",
        metadata={"author": service, "subject": report.get_kind_display()},
    )
