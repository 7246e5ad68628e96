"""Demo notes (journal de suivi): a few per person of the main CPIP, one of them sensitive."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from parcours.accounts.demo import MAIN_CPIP
from parcours.accounts.models import Organisation, User
from parcours.people.models import Person
from parcours.rules.text import search_document

from .models import Note, NoteKind, NoteVersion
from .sanitize import clean_body, plain_text

PHRASES = {
    NoteKind.ENTRETIEN: [
        "Entretien au service. La personne évoque sa recherche d'hébergement : dossier SIAO "
        "déposé le mois dernier, en attente d'une place en foyer à {ville}.",
        "Point sur l'emploi : inscription à France Travail faite, deux candidatures en cours chez "
        "{societe}. Justificatifs de recherche apportés.",
        "Entretien de suivi : les soins au CSAPA se poursuivent, rendez-vous réguliers. "
        "Attestation de suivi à fournir pour le prochain entretien.",
    ],
    NoteKind.APPEL: [
        "Appel de {prenom}, conseiller(ère) de la mission locale : une formation qualifiante "
        "débute en septembre, inscription à confirmer.",
        "Appel reçu pour reporter la convocation (rendez-vous médical). Nouvelle date proposée.",
    ],
    NoteKind.VISITE: [
        "Visite à domicile au {adresse} : logement hébergé chez un proche, conditions correctes. "
        "Projet de logement autonome évoqué.",
    ],
    NoteKind.COURRIER: [
        "Courrier de {societe} confirmant une promesse d'embauche en contrat à durée déterminée.",
    ],
    NoteKind.INCIDENT: [
        "Absence à la convocation sans justificatif. Rappel des obligations adressé par courrier.",
    ],
    NoteKind.SYNTHESE: [
        "Synthèse : hébergement stabilisé, emploi à temps partiel, soins poursuivis. "
        "Évolution favorable depuis le début de la mesure.",
    ],
    NoteKind.REUNION: [
        "Réunion partenariale avec le SIAO et la mission locale sur les solutions d'hébergement "
        "et d'insertion professionnelle.",
    ],
}
SENSITIVE_TEXT = (
    "Note sensible : éléments de contexte familial confiés en entretien, à ne pas diffuser. "
    "Orientation vers un suivi psychologique proposée."
)
PEOPLE = 40


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """A few notes per person of the main demo CPIP (cpip.demo); idempotent."""
    cpip = users.get(MAIN_CPIP)
    if cpip is None or Note.objects.filter(author=cpip).exists():
        return {"notes": 0}
    fake = Faker("fr_FR")
    fake.seed_instance(5005)
    rng = random.Random(5005)
    today = timezone.localdate()
    people = list(Person.objects.filter(referent=cpip).order_by("pk")[:PEOPLE])
    notes: list[Note] = []
    for index, person in enumerate(people):
        for _ in range(rng.randint(2, 5)):
            kind = rng.choice(list(PHRASES))
            text = rng.choice(PHRASES[kind]).format(
                ville=fake.city(),
                societe=fake.company(),
                prenom=fake.first_name(),
                adresse=fake.street_address(),
            )
            day = today - datetime.timedelta(rng.randint(1, 330))
            notes.append(_note(person, cpip, text, kind=kind, event_date=day))
        if index == 0:
            notes.append(
                _note(
                    person,
                    cpip,
                    SENSITIVE_TEXT,
                    kind=NoteKind.ENTRETIEN,
                    event_date=today,
                    sensitive=True,
                )
            )
    with transaction.atomic():
        created = Note.objects.bulk_create(notes, batch_size=500)
        NoteVersion.objects.bulk_create(
            [
                NoteVersion(
                    note=n,
                    version=1,
                    edited_by=cpip,
                    kind=n.kind,
                    event_date=n.event_date,
                    sensitive=n.sensitive,
                    body_html=n.body_html,
                )
                for n in created
            ],
            batch_size=500,
        )
    return {"notes": len(created)}


def note_texts(html: str) -> dict[str, str]:
    """A note's three texts: the sanitised HTML, its plain text and its search keys."""
    body_html = clean_body(html)
    plain = plain_text(body_html)
    return {"body_html": body_html, "body_text": plain, "search_text": search_document(plain)}


def _note(person: Person, author: User, text: str, **fields: Any) -> Note:
    """An unsaved note of `author` on `person` (fields: kind, event_date, sensitive)."""
    return Note(person=person, spip_id=person.spip_id, author=author, **note_texts(text), **fields)
