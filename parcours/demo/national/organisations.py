"""The national organisations (DISP, 103 SPIP with their antennas, tribunals and places) and staff
(CPIP cpip.n00001 …, one DPIP per SPIP, their agendas)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone
from faker import Faker

from parcours.accounts.models import Organisation, OrganisationKind, Role, SiteType, User
from parcours.agenda.models import Agenda, Place

from .writer import Counts

CPIP_USERNAME_PREFIX = "cpip.n"  # cpip.n00001 …: the load test signs them in
# Overseas SPIP beyond Faker's departments (971–976 are there) and their zones.
OVERSEAS_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
    "988": "Pacific/Noumea",
    "987": "Pacific/Tahiti",
}
EXTRA_TERRITORIES = [("988", "Nouvelle-Calédonie"), ("987", "Polynésie française")]
DISP_NAMES = [
    "Bordeaux",
    "Dijon",
    "Lille",
    "Lyon",
    "Marseille",
    "Paris",
    "Rennes",
    "Strasbourg",
    "Toulouse",
]


@dataclass
class SpipInfo:
    org: Organisation
    tz: ZoneInfo
    postal_prefix: str
    antennas: list[Organisation] = field(default_factory=list)
    tribunals: list[Organisation] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    cpip_count: int = 0  # drawn with the organisations; build_staff creates them
    cpips: list[User] = field(default_factory=list)
    dpip: User | None = None


def national_departments() -> list[tuple[str, str]]:
    fake = Faker("fr_FR")
    departments: list[tuple[str, str]] = []
    for provider in fake.providers:
        if hasattr(provider, "departments"):
            departments = list(provider.departments)
            break
    return departments + EXTRA_TERRITORIES


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    rest = total - sum(parts)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[:rest]:
        parts[i] += 1
    return parts


def build_organisations(rng: random.Random, cpip_total: int, counts: Counts) -> list[SpipInfo]:
    departments = national_departments()
    # SPIP sizes: a few large urban ones, many middle-sized ones.
    weights = [rng.lognormvariate(0, 0.6) for _ in departments]
    for i, (code, _) in enumerate(departments):
        if code in {"75", "93", "13", "59", "69", "92", "94", "33"}:
            weights[i] *= 2.5
    cpips_per_spip = _split(cpip_total, weights)
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    disps = [
        Organisation(
            kind=OrganisationKind.DISP,
            name=f"DISP de {name}",
            timezone="Europe/Paris",
            code=f"DISP-{name[:3].upper()}",
        )
        for name in DISP_NAMES
    ]
    disps.append(
        Organisation(
            kind=OrganisationKind.DISP,
            name="Mission des services pénitentiaires de l'outre-mer",
            timezone="Europe/Paris",
            code="MOM",
        )
    )
    Organisation.objects.bulk_create(disps)
    spips: list[SpipInfo] = []
    spip_rows = []
    for index, (code, name) in enumerate(departments):
        zone = OVERSEAS_ZONES.get(code, "Europe/Paris")
        parent = disps[-1] if code in OVERSEAS_ZONES else disps[index % len(DISP_NAMES)]
        spip_rows.append(
            Organisation(
                kind=OrganisationKind.SPIP,
                name=f"SPIP {name} ({code})",
                parent=parent,
                site_type=SiteType.SIEGE,
                timezone=zone,
                code=code,
            )
        )
    Organisation.objects.bulk_create(spip_rows)
    Organisation.objects.filter(pk__in=[s.pk for s in spip_rows]).update(spip_id=models.F("pk"))
    antennas: list[Organisation] = []
    tribunals: list[Organisation] = []
    for org, (code, _), n_cpip in zip(spip_rows, departments, cpips_per_spip, strict=True):
        org.spip_id = org.pk
        info = SpipInfo(
            org=org,
            tz=ZoneInfo(org.timezone),
            postal_prefix=code[:3].ljust(5, "0"),
            cpip_count=n_cpip,
        )
        n_antennas = 1 + min(5, n_cpip // 15)
        within = {"parent": org, "spip": org, "timezone": org.timezone}
        for a in range(n_antennas):
            city = fake.city()
            antenna = Organisation(
                kind=OrganisationKind.ANTENNE,
                name=f"Antenne de {city} ({code}-{a + 1})",
                site_type=SiteType.MILIEU_OUVERT,
                **within,
            )
            info.antennas.append(antenna)
            antennas.append(antenna)
            if a < 2:
                name = f"Tribunal judiciaire de {city} ({code}-{a + 1})"
                tribunal = Organisation(kind=OrganisationKind.TRIBUNAL, name=name, **within)
                info.tribunals.append(tribunal)
                tribunals.append(tribunal)
        spips.append(info)
    Organisation.objects.bulk_create(antennas + tribunals, batch_size=1000)
    counts.rows["organisations"] = len(disps) + len(spip_rows) + len(antennas) + len(tribunals)

    places = []
    for info in spips:
        for antenna in info.antennas:
            place = Place(
                organisation=antenna,
                spip=info.org,
                name=f"SPIP — {antenna.name.lower()}",
                address=fake.street_address(),
                postal_code=info.postal_prefix,
                city=antenna.name.split(" (")[0].removeprefix("Antenne de "),
                access_url="https://www.justice.fr/",
            )
            info.places.append(place)
            places.append(place)
    Place.objects.bulk_create(places, batch_size=1000)
    Agenda.objects.bulk_create(
        [Agenda(place=p, label=f"{p.name} — agenda commun") for p in places], batch_size=1000
    )
    counts.rows["places"] = len(places)
    return spips


def build_staff(spips: list[SpipInfo], counts: Counts) -> dict[int, Agenda]:
    """CPIP (cpip.n00001 …) spread over the antennas of their SPIP, one DPIP per SPIP
    (dpip.n001 …), all with the demo password hashed once, charter accepted."""
    fake = Faker("fr_FR")
    fake.seed_instance(4000)
    password_hash = make_password(settings.DEMO_PASSWORD)
    now = timezone.now()

    def account(username: str, role: str, antenna: Organisation) -> User:
        return User(
            username=username,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{username}@parcours.invalid",
            role=role,
            organisation=antenna,
            password=password_hash,
            charter_accepted_at=now,
        )

    users: list[User] = []
    number = 0
    for s_index, info in enumerate(spips, start=1):
        for i in range(info.cpip_count):
            number += 1
            antenna = info.antennas[i % len(info.antennas)]
            info.cpips.append(account(f"{CPIP_USERNAME_PREFIX}{number:05d}", Role.CPIP, antenna))
        info.dpip = account(f"dpip.n{s_index:03d}", Role.DPIP, info.antennas[0])
        users += [*info.cpips, info.dpip]
    User.objects.bulk_create(users, batch_size=1000)
    counts.rows["users"] = len(users)
    agendas: list[Agenda] = []
    for info in spips:
        place_of = {p.organisation_id: p for p in info.places}
        for cpip in info.cpips:
            place = place_of[cpip.organisation_id or 0]
            agendas.append(
                Agenda(place=place, agent=cpip, label=f"{cpip.get_full_name()} — {place.name}")
            )
    Agenda.objects.bulk_create(agendas, batch_size=1000)
    return {a.agent_id: a for a in agendas if a.agent_id}
