"""The state the steps of one generation share: one random generator drawn from in a fixed order
(the same seed and scale give the same data), the pools of names and texts, the people made."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from faker import Faker

from parcours.agenda.models import Agenda
from parcours.notes.demo import note_texts

from .organisations import SpipInfo
from .writer import Loader

NOTE_PHRASES = [
    "Recherche d'hébergement en cours auprès du SIAO.",
    "Hébergé chez un ami depuis le mois dernier, situation précaire.",
    "Demande d'hébergement d'urgence déposée auprès du 115.",
    "Inscrit à France Travail, recherche d'emploi active.",
    "A retrouvé un emploi en intérim chez {societe}.",
    "Suivi des soins au CSAPA de {ville}, rendez-vous honorés.",
    "Obligation de soins respectée, attestation fournie.",
    "Convocation honorée, entretien sans difficulté.",
    "Absence à la convocation, rappel des obligations par courrier.",
    "Formation qualifiante envisagée avec la mission locale de {ville}.",
    "Dettes en cours de règlement, échéancier mis en place.",
    "Logement autonome obtenu au {adresse}, bail signé.",
    "Entretien avec {prenom}, sa compagne, au sujet de la garde des enfants.",
    "Point sur l'indemnisation de la partie civile : versements réguliers.",
]
NOTE_POOL = 4000  # distinct note texts, sanitised and keyed once, then reused


@dataclass
class PersonRow:
    id: int
    public_id: uuid.UUID
    spip_id: int
    referent_id: int
    antenna_id: int
    tz: ZoneInfo
    measure_ids: list[int] = field(default_factory=list)


class Pools:
    """Names, cities and note texts drawn once from Faker (seeded), then picked at random: Faker
    per row would cost more than the database."""

    def __init__(self, seed: int, distinct_notes: int = NOTE_POOL) -> None:
        fake = Faker("fr_FR")
        fake.seed_instance(seed)
        self.last = [fake.last_name() for _ in range(3000)]
        self.male = [fake.first_name_male() for _ in range(600)]
        self.female = [fake.first_name_female() for _ in range(600)]
        self.cities = [fake.city() for _ in range(800)]
        self.streets = [fake.street_address() for _ in range(3000)]
        self.countries = [fake.country() for _ in range(100)]
        self.emails = [fake.free_email() for _ in range(3000)]
        self.companies = [fake.company() for _ in range(300)]
        rng = random.Random(seed)
        self.notes: list[tuple[str, str, str]] = []
        for _ in range(distinct_notes):
            sentences = [
                rng.choice(NOTE_PHRASES).format(
                    ville=rng.choice(self.cities),
                    societe=rng.choice(self.companies),
                    prenom=rng.choice(self.female),
                    adresse=rng.choice(self.streets),
                )
                for _ in range(rng.randint(1, 2))
            ]
            sentences += [fake.sentence(nb_words=rng.randint(8, 16)) for _ in range(2)]
            rng.shuffle(sentences)
            texts = note_texts("<p>" + " ".join(sentences) + "</p>")
            self.notes.append((texts["body_html"], texts["body_text"], texts["search_text"]))


@dataclass
class Run:
    rng: random.Random
    today: date
    now: datetime
    loader: Loader
    pools: Pools
    spips: list[SpipInfo]
    agendas: dict[int, Agenda]  # by CPIP
    people: list[PersonRow] = field(default_factory=list)
