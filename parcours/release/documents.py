"""The notice of CPP art. 741-1: before the release of a peine mixte (prison partly with a
sursis probatoire), the person is handed a convocation to appear before the SPIP within eight
days of the release (an offence allowing a suivi socio-judiciaire, on the judgment or on the B1;
a sursis probatoire renforcé: CPénit. R. 621-2) or one month otherwise. Printed through the
project's document pipeline (parcours.documents)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from parcours.detention.models import Ecrou
from parcours.documents import (
    Document,
    Header,
    KeyValues,
    Paragraph,
    Section,
    build_pdf,
    date_line,
    french_date,
)
from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.rules.french import agree, short_date
from parcours.rules.release import notice_delay

from .selectors import is_renforce


def notice_document(
    person: Person, ecrou: Ecrou, measure: Measure, release_on: date, *, on: date | None = None
) -> Document:
    spip = person.spip
    tz = spip.timezone if spip is not None else "Europe/Paris"
    delay = notice_delay(
        release_on,
        ssj_encouru=measure.ssj_encouru,
        ssj_antecedent=measure.ssj_antecedent,
        renforce=is_renforce(measure),
    )
    name = f"{person.first_names} {person.last_name.upper()}"
    details = [
        ("Nom, prénoms", name),
        (
            f"{agree(person.sex, 'Né')} le",
            short_date(person.birth_date) if person.birth_date else "—",
        ),
        ("Établissement", ecrou.establishment.name),
        ("N° d'écrou", ecrou.number),
        ("Date de libération prévue", french_date(release_on, tz)),
        (
            "Mesure suivie",
            f"{measure.measure_type.label} (jugement du {measure.judgment_date:%d/%m/%Y})",
        ),
    ]
    convocation = (
        f"Vous devez vous présenter au service pénitentiaire d'insertion et de probation "
        f"({spip.name if spip else 'SPIP'}) dans un délai de {delay.delay} à compter de votre "
        f"libération, soit au plus tard le {french_date(delay.appear_by, tz)}."
    )
    why = f" Ce délai de huit jours s'applique en raison d'une {delay.why}." if delay.why else ""
    sections = [
        Section("Personne convoquée", [KeyValues(details)]),
        Section(
            "Convocation",
            [
                Paragraph(convocation + why),
                Paragraph(
                    "Le service pénitentiaire d'insertion et de probation est saisi de votre "
                    "sursis probatoire. Le juge de l'application des peines fixera ou précisera "
                    f"les obligations auxquelles vous êtes {agree(person.sex, 'soumis')}."
                ),
                Paragraph(
                    "Si vous ne vous présentez pas, le juge de l'application des peines peut "
                    "être saisi (article 712-17 du code de procédure pénale)."
                ),
            ],
        ),
        Section(
            "Remise de l'avis",
            [
                Paragraph("Avis remis le : ____ / ____ / ________"),
                Paragraph("Signature de la personne :"),
            ],
        ),
    ]
    references = ["Réf. : article 741-1 du code de procédure pénale ; CPénit. art. R. 621-2"]
    if person.appi_number:
        references.append(f"N° APPI : {person.appi_number}")
    return Document(
        header=Header(service=spip.name if spip else "SPIP", lines=[ecrou.establishment.name]),
        title="Avis de convocation devant le SPIP à la libération",
        date_line=date_line("", on or timezone.localdate(), tz),
        references=references,
        addressee=[name],
        sections=sections,
        signature=["Le conseiller pénitentiaire d'insertion et de probation"],
        footer=f"{spip.name if spip else 'SPIP'} — avis de l'article 741-1 du CPP",
        metadata={
            "title": "Avis de convocation (art. 741-1 CPP)",
            "author": spip.name if spip else "",
        },
    )


def notice_pdf(person: Person, ecrou: Ecrou, measure: Measure, release_on: date) -> bytes:
    return build_pdf(notice_document(person, ecrou, measure, release_on))
