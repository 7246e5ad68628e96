"""Demo people (Faker fr_FR, fixed seed) spread over the two demo SPIP, about 80 % in the Nord,
with their referent's assignment and an address. The main CPIP (cpip.demo) carries a caseload
near the target; a few people have no referent yet."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone
from faker import Faker

from parcours.accounts.demo import MAIN_CPIP
from parcours.accounts.models import Organisation, Role, User

from .models import Address, Assignment, Housing, Person, Sex, search_key
from .phones import PhoneError, normalise_french_mobile

NATIONALITIES = ["Algérienne", "Marocaine", "Comorienne", "Malgache", "Roumaine", "Tunisienne"]


def _mobile(rng: random.Random, overseas: bool) -> str:
    while True:
        if overseas:
            raw = f"0692{rng.randint(0, 999999):06d}"
        else:
            raw = f"06{rng.randint(10000000, 89999999):08d}"
        try:
            return normalise_french_mobile(raw)
        except PhoneError:
            continue  # an unallocated range: draw again


def assign_referents(
    people: Iterable[Person], rng: random.Random, now: datetime, *, days: int, reason: str
) -> None:
    """Each person's first assignment to their referent (none for a person without one), begun
    on a day drawn in the `days` before `now`. The detention demo assigns its detainees so."""
    Assignment.objects.bulk_create(
        (
            Assignment(
                person=person,
                cpip_id=person.referent_id,
                started_at=now - timedelta(days=rng.randint(1, days)),
                reason=reason,
            )
            for person in people
            if person.referent_id
        ),
        batch_size=500,
    )


def create_people(
    orgs: dict[str, Organisation], users: dict[str, User], total: int, seed: int
) -> list[Person]:
    """Creates `total` people (one in five in La Réunion), their assignments and addresses;
    returns the people as stored."""
    rng = random.Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    today = timezone.localdate()
    cpips_by_spip: dict[int, list[User]] = {}
    for user in users.values():
        if user.role == Role.CPIP and user.organisation and user.organisation.spip_id:
            cpips_by_spip.setdefault(user.organisation.spip_id, []).append(user)
    main_cpip = users[MAIN_CPIP]
    people: list[Person] = []
    for index in range(total):
        overseas = index % 5 == 4
        spip = orgs["spip974"] if overseas else orgs["spip59"]
        cpips = cpips_by_spip[spip.pk]
        # cpip.demo carries a caseload near the target (about 60 people).
        if not overseas and index % 11 == 0:
            referent: User | None = main_cpip
        elif index % 97 == 13:
            referent = None
        else:
            referent = rng.choice([c for c in cpips if c.pk != main_cpip.pk])
        sex = rng.choice([Sex.MASCULIN] * 7 + [Sex.FEMININ] * 2 + [Sex.NON_PRECISE])
        first = fake.first_name_female() if sex == Sex.FEMININ else fake.first_name_male()
        last = fake.last_name()
        birth = today - timedelta(days=rng.randint(16 * 366, 70 * 365))
        no_phone = rng.random() < 0.06
        # The same number of draws whatever today's year, so the rest of the data stays the same.
        year = today.year - rng.randint(0, 11)
        person = Person(
            spip=spip,
            antenna=referent.organisation if referent else None,
            referent=referent,
            last_name=last,
            birth_name=fake.last_name() if sex == Sex.FEMININ and rng.random() < 0.3 else "",
            first_names=first if rng.random() < 0.6 else f"{first} {fake.first_name()}",
            birth_date=birth,
            birth_place=fake.city(),
            birth_country="France" if rng.random() < 0.85 else fake.country(),
            sex=sex,
            nationality="Française" if rng.random() < 0.85 else rng.choice(NATIONALITIES),
            languages="français" if rng.random() < 0.9 else "français, arabe",
            phone="" if no_phone else _mobile(rng, overseas),
            email=fake.free_email() if rng.random() < 0.4 else "",
            no_phone=no_phone,
            refuses_sms=rng.random() < 0.03,
            housing=rng.choice(
                [Housing.PERSONNEL] * 5
                + [Housing.HEBERGE_TIERS] * 2
                + [Housing.HEBERGEMENT_SOCIAL, Housing.SANS_DOMICILE, Housing.INCONNU]
            ),
            appi_number=f"{year}{seed % 100:02d}{index:06d}",
            search_name="",
        )
        person.search_name = search_key(person.last_name, person.first_names, person.birth_name)
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    created = list(Person.objects.filter(appi_number__in=[p.appi_number for p in people]))
    now = timezone.now()
    overseas_spip = orgs["spip974"].pk
    assign_referents(created, rng, now, days=400, reason="Prise en charge initiale")
    Address.objects.bulk_create(
        (
            Address(
                person=person,
                line=fake.street_address(),
                postal_code="97400"
                if person.spip_id == overseas_spip
                else f"59{rng.randint(0, 999):03d}",
                city="Saint-Denis" if person.spip_id == overseas_spip else fake.city(),
                since=today - timedelta(days=rng.randint(30, 2000)),
            )
            for person in created
        ),
        batch_size=500,
    )
    return created
