"""The notice of CPP art. 741-1: before the release of a peine mixte (prison partly with a
sursis probatoire), the person is handed a convocation to appear before the SPIP within eight
days of the release (an offence allowing a suivi socio-judiciaire, on the judgment or on the B1;
a sursis probatoire renforcé: CPénit. R. 621-2) or one month otherwise. Printed through the
project's document pipeline (parcours.documents)."""

from __future__ import annotations

from datetime import date

from parcours.detention.models import Ecrou
from parcours.documents import Document, Paragraph, Section, build_pdf, french_date
from parcours.measures.models import Measure
from parcours.people.documents import identity_section, person_document, service_name, spip_zone
from parcours.people.models import Person
from parcours.rules.french import agree
from parcours.rules.release import notice_delay

from .selectors import is_renforce


def notice_document(
    person: Person, ecrou: Ecrou, measure: Measure, release_on: date, *, on: date | None = None
) -> Document:
    spip = person.spip
    tz = spip_zone(person)
    delay = notice_delay(
        release_on,
        ssj_encouru=measure.ssj_encouru,
        ssj_antecedent=measure.ssj_antecedent,
        renforce=is_renforce(measure),
    )
    details = [
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
        f"({service_name(person)}) dans un délai de {delay.delay} à compter de votre "
        f"libération, soit au plus tard le {french_date(delay.appear_by, tz)}."
    )
    why = f" Ce délai de huit jours s'applique en raison d'une {delay.why}." if delay.why else ""
    sections = [
        identity_section("Personne convoquée", person, details),
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
    return person_document(
        person,
        title="Avis de convocation devant le SPIP à la libération",
        references=["Réf. : article 741-1 du code de procédure pénale ; CPénit. art. R. 621-2"],
        sections=sections,
        footer="avis de l'article 741-1 du CPP",
        metadata={
            "title": "Avis de convocation (art. 741-1 CPP)",
            "author": spip.name if spip else "",
        },
        on=on,
        header_lines=[ecrou.establishment.name],
        signature=["Le conseiller pénitentiaire d'insertion et de probation"],
    )


def notice_pdf(person: Person, ecrou: Ecrou, measure: Measure, release_on: date) -> bytes:
    return build_pdf(notice_document(person, ecrou, measure, release_on))
