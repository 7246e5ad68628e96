"""What the service's documents about a person print the same way (the plan, the release
notice, the convocation letter): the person's name, the identity block, the APPI reference, and
the frame of a document the SPIP dates and addresses to the person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import timezone

from parcours.documents import Document, Header, KeyValues, Section, date_line
from parcours.rules.french import agree, short_date

from .models import Person


def printed_name(person: Person) -> str:
    """ "Marie Claire DURAND": the first names, then the surname in capitals."""
    return f"{person.first_names} {person.last_name.upper()}"


def spip_zone(person: Person) -> str:
    """The time zone the person's SPIP dates its documents in."""
    spip = person.spip
    return spip.timezone if spip is not None else "Europe/Paris"


def service_name(person: Person) -> str:
    """The issuing service: the person's SPIP."""
    spip = person.spip
    return spip.name if spip is not None else "SPIP"


def with_appi(references: Sequence[str], person: Person) -> list[str]:
    """The document's references, followed by the person's APPI number when there is one."""
    lines = list(references)
    if person.appi_number:
        lines.append(f"N° APPI : {person.appi_number}")
    return lines


def identity_section(heading: str, person: Person, rows: Sequence[tuple[str, str]]) -> Section:
    """The person's block: the name and the birth date, then the document's own `rows`."""
    details = [
        ("Nom, prénoms", printed_name(person)),
        (
            f"{agree(person.sex, 'Né')} le",
            short_date(person.birth_date) if person.birth_date else "—",
        ),
        *rows,
    ]
    return Section(heading, [KeyValues(details)])


def person_document(
    person: Person,
    *,
    title: str,
    references: Sequence[str],
    sections: Sequence[Section],
    footer: str,
    metadata: dict[str, str],
    on: date | None = None,
    header_lines: Sequence[str] = (),
    signature: Sequence[str] = (),
    watermark: str = "",
) -> Document:
    """A document of the person's SPIP addressed to the person, dated `on` (today) in the SPIP's
    zone; the footer follows the service's name."""
    service = service_name(person)
    return Document(
        header=Header(service=service, lines=list(header_lines)),
        title=title,
        date_line=date_line("", on or timezone.localdate(), spip_zone(person)),
        references=with_appi(references, person),
        addressee=[printed_name(person)],
        sections=sections,
        signature=list(signature),
        footer=f"{service} — {footer}",
        watermark=watermark,
        metadata=metadata,
    )
