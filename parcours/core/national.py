"""Synthetic national-scale dataset (issue 6), for benchmarks and load tests only.

Shape at scale 1.0: 103 SPIP (96 metropolitan departments in Europe/Paris, 7 overseas in their
own zones) with their DISP and antennas, ~4,000 CPIP carrying 60–90 people each, 300,000 people,
~1.2 measures per person, obligations on the probation measures in progress, ~10 appointments,
~15 notes (with their first version and search keys) and ~100 journal rows per person.
Organisations are always national; staff and people scale with `scale`.

Writes are set-based: every row gets its primary key here, then one table at a time goes in by
PostgreSQL `COPY` (psycopg 3) or by `bulk_create` in large batches elsewhere (SQLite), and the
identity sequences are moved past the ids used. Seeded: the same scale gives the same data.
"""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker

from parcours.accounts.models import Organisation, OrganisationKind, Role, SiteType, User
from parcours.agenda.models import Agenda, Appointment, AppointmentType, Place
from parcours.audit.models import AuditAction, AuditEvent
from parcours.catalog.models import MeasureType, Milieu
from parcours.core import bulk
from parcours.core.demo import MEASURE_MIX, POST_RELEASE_TYPES, STATUS_MIX
from parcours.measures.models import Measure, MeasureStatus
from parcours.notes.models import Note, NoteKind, NoteVersion
from parcours.notes.sanitize import clean_body, plain_text
from parcours.obligations.models import Obligation, ObligationType
from parcours.people.models import Address, Assignment, Housing, Person, Sex, search_key
from parcours.rules.agenda import AppointmentStatus
from parcours.rules.measures import add_months
from parcours.rules.text import search_document

FULL_PEOPLE = 300_000
FULL_CPIP = 4_000
CASELOAD = (60, 90)
APPOINTMENTS_PER_PERSON = 10
NOTES_PER_PERSON = 15
AUDIT_PER_PERSON = 100
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
# (obligation type code, parameters builder) for obligations on probation measures.
OBLIGATION_MIX: list[tuple[str, int]] = [
    ("cp_132_45_1", 30),
    ("cp_132_45_3", 30),
    ("cp_132_45_11", 8),
    ("cp_132_45_14", 10),
    ("cp_132_45_20", 8),
    ("cp_132_44_2", 14),
]
APPOINTMENT_STATUS_PAST = [
    (AppointmentStatus.HONORE.value, 80),
    (AppointmentStatus.ABSENT.value, 8),
    (AppointmentStatus.EXCUSE.value, 7),
    (AppointmentStatus.ANNULE.value, 5),
]
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
class Counts:
    """What was created and how long each step took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _pick(rng: random.Random, mix: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in mix], weights=[w for _, w in mix], k=1)[0]


# The indexes of a table that no constraint relies on (not the primary key, not a unique).
SECONDARY_INDEXES = """
    SELECT i.relname, pg_get_indexdef(x.indexrelid)
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = %s AND t.relnamespace = 'public'::regnamespace AND NOT x.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""


# SQLite: the indexes created by statements (those of constraints declared inline have no SQL).
SQLITE_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
)


class Writer:
    """Writes rows (tuples in the order of `fields`, attribute names) of one model: `COPY` on
    PostgreSQL, batched `executemany` on SQLite (parcours.core.bulk). Primary keys are given by
    the caller."""

    def __init__(self) -> None:
        self.postgresql = connection.vendor == "postgresql"
        self.max_ids: dict[type[models.Model], int] = {}

    def write(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        # Start the generator now: its set-up queries (next ids) must run before COPY holds the
        # connection.
        source = iter(rows)
        first = next(source, None)
        if first is None:
            return 0
        rows = itertools.chain([first], source)
        count = 0
        top = 0
        table = connection.ops.quote_name(model._meta.db_table)
        write = bulk.copy_rows if self.postgresql else bulk.executemany_rows
        with connection.cursor() as cursor:
            # On an empty table, the secondary indexes are dropped and built after the load
            # (one sort each instead of one insertion per row).
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
            row = cursor.fetchone()
            rebuild: list[str] = []
            if row and not row[0]:
                cursor.execute(
                    SECONDARY_INDEXES if self.postgresql else SQLITE_INDEXES,
                    [model._meta.db_table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                    rebuild.append(definition)
            for written in write(cursor, model, fields, rows):
                count += 1
                top = max(top, written[0]) if fields[0] == "id" else top
            if rebuild and self.postgresql:
                # Django's foreign keys are deferred: check the loaded rows now, since an
                # index cannot be built while checks are pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for definition in rebuild:
                cursor.execute(definition)
            if rebuild and self.postgresql:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if top:
            self.max_ids[model] = max(self.max_ids.get(model, 0), top)
        return count

    def next_id(self, model: type[models.Model]) -> int:
        found = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
        return max(found, self.max_ids.get(model, 0)) + 1

    def fix_sequences(self) -> None:
        if not self.postgresql:
            return  # SQLite's rowid follows the largest id by itself
        with connection.cursor() as cursor:
            for model in self.max_ids:
                table = model._meta.db_table
                quoted = connection.ops.quote_name(table)  # a model's table, not user input
                top = f"(SELECT MAX(id) FROM {quoted})"  # noqa: S608
                sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {top})"
                cursor.execute(sql, [table])


@dataclass
class SpipInfo:
    org: Organisation
    tz: ZoneInfo
    postal_prefix: str
    antennas: list[Organisation] = field(default_factory=list)
    tribunals: list[Organisation] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
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


def caseloads(total_people: int, cpips: int, rng: random.Random) -> list[int]:
    """Caseloads in CASELOAD that sum to `total_people` (as far as the bounds allow); the first
    CPIP carries the largest one (90: the benchmarks' user)."""
    low, high = CASELOAD
    loads = [rng.randint(low, high) for _ in range(cpips)]
    loads[0] = high
    diff = total_people - sum(loads)
    step = 1 if diff > 0 else -1
    index = 1
    guard = 0
    while diff and guard < 10 * (high - low + 1) * max(cpips, 1):
        i = index % cpips if cpips > 1 else 0
        if (i != 0 or cpips == 1) and low <= loads[i] + step <= high:
            loads[i] += step
            diff -= step
        index += 1
        guard += 1
    return loads


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
        info = SpipInfo(org=org, tz=ZoneInfo(org.timezone), postal_prefix=code[:3].ljust(5, "0"))
        n_antennas = 1 + min(5, n_cpip // 15)
        for a in range(n_antennas):
            city = fake.city()
            antenna = Organisation(
                kind=OrganisationKind.ANTENNE,
                name=f"Antenne de {city} ({code}-{a + 1})",
                parent=org,
                spip=org,
                site_type=SiteType.MILIEU_OUVERT,
                timezone=org.timezone,
            )
            info.antennas.append(antenna)
            antennas.append(antenna)
            if a < 2:
                tribunal = Organisation(
                    kind=OrganisationKind.TRIBUNAL,
                    name=f"Tribunal judiciaire de {city} ({code}-{a + 1})",
                    parent=org,
                    spip=org,
                    timezone=org.timezone,
                )
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
    for info, n_cpip in zip(spips, cpips_per_spip, strict=True):
        info.cpips = [None] * n_cpip  # type: ignore[list-item]  # filled by build_staff
    return spips


def build_staff(spips: list[SpipInfo], counts: Counts) -> dict[int, Agenda]:
    """CPIP (cpip.n00001 …) spread over the antennas of their SPIP, one DPIP per SPIP
    (dpip.n001 …), all with the demo password hashed once, charter accepted."""
    fake = Faker("fr_FR")
    fake.seed_instance(4000)
    password_hash = make_password(settings.DEMO_PASSWORD)
    now = timezone.now()
    users: list[User] = []
    number = 0
    for s_index, info in enumerate(spips, start=1):
        n_cpip = len(info.cpips)
        info.cpips = []
        for i in range(n_cpip):
            number += 1
            antenna = info.antennas[i % len(info.antennas)]
            username = f"{CPIP_USERNAME_PREFIX}{number:05d}"
            user = User(
                username=username,
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                email=f"{username}@parcours.invalid",
                role=Role.CPIP,
                organisation=antenna,
                password=password_hash,
                charter_accepted_at=now,
            )
            info.cpips.append(user)
            users.append(user)
        username = f"dpip.n{s_index:03d}"
        info.dpip = User(
            username=username,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{username}@parcours.invalid",
            role=Role.DPIP,
            organisation=info.antennas[0],
            password=password_hash,
            charter_accepted_at=now,
        )
        users.append(info.dpip)
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

    def __init__(self, seed: int, note_texts: int = NOTE_POOL) -> None:
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
        for _ in range(note_texts):
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
            body_html = clean_body("<p>" + " ".join(sentences) + "</p>")
            plain = plain_text(body_html)
            self.notes.append((body_html, plain, search_document(plain)))


def _people_rows(
    spips: list[SpipInfo], people_total: int, rng: random.Random, pools: Pools, today: date
) -> tuple[list[PersonRow], list[tuple[Any, ...]]]:
    cpips = [(info, c) for info in spips for c in info.cpips]
    loads = caseloads(people_total, len(cpips), rng)
    rows: list[tuple[Any, ...]] = []
    people: list[PersonRow] = []
    now = timezone.now()
    next_id = 1 + (Person.objects.aggregate(top=models.Max("pk"))["top"] or 0)
    housing = [Housing.PERSONNEL] * 5 + [Housing.HEBERGE_TIERS] * 2
    housing += [Housing.HEBERGEMENT_SOCIAL, Housing.SANS_DOMICILE, Housing.INCONNU]
    for (info, cpip), load in zip(cpips, loads, strict=True):
        for _ in range(load):
            pid = next_id
            next_id += 1
            sex = rng.choice([Sex.MASCULIN] * 7 + [Sex.FEMININ] * 2 + [Sex.NON_PRECISE])
            first = rng.choice(pools.female if sex == Sex.FEMININ else pools.male)
            if rng.random() < 0.4:
                first = f"{first} {rng.choice(pools.male + pools.female)}"
            last = rng.choice(pools.last)
            birth_name = rng.choice(pools.last) if sex == Sex.FEMININ and rng.random() < 0.3 else ""
            no_phone = rng.random() < 0.06
            public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            people.append(
                PersonRow(pid, public_id, info.org.pk, cpip.pk, cpip.organisation_id or 0, info.tz)
            )
            rows.append(
                (
                    pid,
                    public_id,
                    info.org.pk,
                    cpip.organisation_id,
                    cpip.pk,
                    last,
                    birth_name,
                    first,
                    "",
                    today - timedelta(days=rng.randint(16 * 366, 70 * 365)),
                    rng.choice(pools.cities),
                    "France" if rng.random() < 0.85 else rng.choice(pools.countries),
                    sex,
                    "Française" if rng.random() < 0.85 else "Marocaine",
                    "français",
                    "" if no_phone else f"+336{rng.randint(10000000, 89999999)}",
                    rng.choice(pools.emails) if rng.random() < 0.4 else "",
                    no_phone,
                    rng.random() < 0.03,
                    rng.choice(housing),
                    f"{rng.randint(2015, today.year)}{pid:08d}"[:12],
                    search_key(last, first, birth_name),
                    1,
                    now,
                    now,
                )
            )
    return people, rows


PERSON_FIELDS = (
    "id",
    "public_id",
    "spip_id",
    "antenna_id",
    "referent_id",
    "last_name",
    "birth_name",
    "first_names",
    "aliases",
    "birth_date",
    "birth_place",
    "birth_country",
    "sex",
    "nationality",
    "languages",
    "phone",
    "email",
    "no_phone",
    "refuses_sms",
    "housing",
    "appi_number",
    "search_name",
    "version",
    "created_at",
    "updated_at",
)


def _timed(counts: Counts, label: str, job: Callable[[], int]) -> None:
    start = time.perf_counter()
    with transaction.atomic():
        counts.rows[label] = job()
    counts.seconds[label] = time.perf_counter() - start


def generate(
    scale: float, seed: int = 6, log: Callable[[str], None] | None = None, audit: bool = True
) -> Counts:
    """Fills an empty database at `scale` (1.0 = national). See the module docstring."""
    say = log or (lambda _message: None)
    counts = Counts()
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    writer = Writer()
    people_total = max(1, round(FULL_PEOPLE * scale))
    cpip_total = max(1, round(FULL_CPIP * scale))

    start = time.perf_counter()
    with transaction.atomic():
        spips = build_organisations(rng, cpip_total, counts)
        agendas = build_staff(spips, counts)
    counts.seconds["organisations et comptes"] = time.perf_counter() - start
    say(f"organisations et comptes : {counts.seconds['organisations et comptes']:.1f} s")

    start = time.perf_counter()
    # Fewer distinct texts for small datasets (tests): one per ~10 notes, 4,000 at most.
    pools = Pools(seed, min(NOTE_POOL, max(100, people_total * NOTES_PER_PERSON // 10)))
    counts.seconds["préparation"] = time.perf_counter() - start
    people, person_rows = _people_rows(spips, people_total, rng, pools, today)
    _timed(counts, "people", lambda: writer.write(Person, PERSON_FIELDS, person_rows))
    say(f"personnes : {counts.rows['people']} en {counts.seconds['people']:.1f} s")
    person_rows.clear()

    tribunals = {info.org.pk: info.tribunals for info in spips}
    mtypes = {t.code: t for t in MeasureType.objects.current()}
    measure_facts: list[tuple[int, PersonRow, str, date | None]] = []

    def measures() -> Iterator[tuple[Any, ...]]:
        mid = writer.next_id(Measure)
        for person in people:
            for _ in range(1 if rng.random() < 0.8 else 2):
                code = _pick(rng, MEASURE_MIX)
                mtype = mtypes[code]
                status = _pick(rng, STATUS_MIX)
                judgment = today - timedelta(days=rng.randint(20, 900))
                start_day = judgment + timedelta(days=rng.randint(0, 60))
                months = rng.choice([12, 18, 24, 24, 36]) if mtype.has_probation_period else None
                duration = months or rng.choice([6, 12, 18])
                release = received = None
                if status == MeasureStatus.A_VENIR:
                    judgment = today - timedelta(days=rng.randint(5, 40))
                    start_day = today + timedelta(days=rng.randint(5, 60))
                    if code not in POST_RELEASE_TYPES:
                        received = judgment + timedelta(days=rng.randint(0, 4))
                elif (
                    code in POST_RELEASE_TYPES
                    and status in (MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE)
                    and rng.random() < 0.3
                ):
                    release = max(judgment, today - timedelta(days=rng.randint(0, 45)))
                    start_day = release
                end = add_months(start_day, duration)
                if status == MeasureStatus.TERMINEE and end > today:
                    end = today - timedelta(days=rng.randint(1, 200))
                    start_day = min(start_day, end - timedelta(days=30))
                    judgment = min(judgment, start_day)
                person.measure_ids.append(mid)
                if status == MeasureStatus.EN_COURS and mtype.has_probation_period:
                    measure_facts.append((mid, person, code, start_day))
                yield (
                    mid,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    person.id,
                    mtype.pk,
                    rng.choice(tribunals[person.spip_id]).pk,
                    judgment,
                    start_day,
                    end,
                    release,
                    received,
                    months,
                    mtype.default_milieu if rng.random() < 0.95 else Milieu.FERME,
                    status,
                    1,
                    now,
                    now,
                )
                mid += 1

    _timed(
        counts,
        "measures",
        lambda: writer.write(
            Measure,
            (
                "id",
                "public_id",
                "person_id",
                "measure_type_id",
                "tribunal_id",
                "judgment_date",
                "start_date",
                "end_date",
                "release_date",
                "file_received_on",
                "probation_months",
                "milieu",
                "status",
                "version",
                "created_at",
                "updated_at",
            ),
            measures(),
        ),
    )
    say(f"mesures : {counts.rows['measures']} en {counts.seconds['measures']:.1f} s")

    def assignments() -> Iterator[tuple[Any, ...]]:
        aid = writer.next_id(Assignment)
        for person in people:
            yield (
                aid,
                person.id,
                person.referent_id,
                now - timedelta(days=rng.randint(1, 400)),
                "Prise en charge initiale",
            )
            aid += 1

    def addresses() -> Iterator[tuple[Any, ...]]:
        aid = writer.next_id(Address)
        spip_prefix = {info.org.pk: info.postal_prefix for info in spips}
        for person in people:
            yield (
                aid,
                person.id,
                rng.choice(pools.streets),
                spip_prefix[person.spip_id][:3] + f"{rng.randint(0, 99):02d}",
                rng.choice(pools.cities),
                today - timedelta(days=rng.randint(30, 2000)),
                now,
            )
            aid += 1

    _timed(
        counts,
        "assignments",
        lambda: writer.write(
            Assignment, ("id", "person_id", "cpip_id", "started_at", "reason"), assignments()
        ),
    )
    _timed(
        counts,
        "addresses",
        lambda: writer.write(
            Address,
            ("id", "person_id", "line", "postal_code", "city", "since", "created_at"),
            addresses(),
        ),
    )

    otypes = {t.code: t for t in ObligationType.objects.current()}

    def obligations() -> Iterator[tuple[Any, ...]]:
        oid = writer.next_id(Obligation)
        for mid, person, _code, start_day in measure_facts:
            if rng.random() < 0.15:
                continue
            chosen = {_pick(rng, OBLIGATION_MIX) for _ in range(rng.choice([1, 2, 2, 3]))}
            for code in sorted(chosen):
                kind = otypes[code]
                city = rng.choice(pools.cities)
                parameters: dict[str, str] = {}
                if code == "cp_132_45_1":
                    parameters = {"organisme": rng.choice(pools.companies)}
                elif code == "cp_132_45_3":
                    parameters = {"nature": "suivi addictologique", "structure": f"CSAPA {city}"}
                elif code == "cp_132_45_20":
                    parameters = {"programme": "stage de responsabilisation", "structure": city}
                start = start_day or today
                yield (
                    oid,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    mid,
                    kind.pk,
                    parameters,
                    start,
                    kind.default_proof_type,
                    kind.default_cadence_months,
                    start,
                    person.referent_id,
                    1,
                    now,
                    now,
                )
                oid += 1

    _timed(
        counts,
        "obligations",
        lambda: writer.write(
            Obligation,
            (
                "id",
                "public_id",
                "measure_id",
                "obligation_type_id",
                "parameters",
                "start_date",
                "proof_type",
                "cadence_months",
                "imposed_on",
                "created_by_id",
                "version",
                "created_at",
                "updated_at",
            ),
            obligations(),
        ),
    )
    say(f"obligations : {counts.rows['obligations']} en {counts.seconds['obligations']:.1f} s")

    types = {t.code: t for t in AppointmentType.objects.all()}
    suivi, first = types["suivi"], types["premiere_convocation"]
    closed: dict[date, bool] = {}

    def open_day(day: date) -> date:
        from parcours.rules.agenda import is_closed_day

        for _ in range(7):
            if day not in closed:
                closed[day] = is_closed_day(day, None, weekend_allowed=False) is not None
            if not closed[day]:
                return day
            day += timedelta(days=1)
        return day

    def appointments() -> Iterator[tuple[Any, ...]]:
        aid = writer.next_id(Appointment)
        for person in people:
            agenda = agendas[person.referent_id]
            n = rng.randint(APPOINTMENTS_PER_PERSON - 3, APPOINTMENTS_PER_PERSON + 3)
            # About one appointment in eight ahead, the others over the last 18 months; a few
            # today so that the agenda of the day is filled.
            offsets = sorted(rng.randint(-540, -1) for _ in range(n - 1))
            offsets.append(0 if rng.random() < 0.03 else rng.randint(1, 60))
            for k, offset in enumerate(offsets):
                day = open_day(today + timedelta(days=offset)) if offset else today
                local = datetime.combine(
                    day, dtime(rng.randint(8, 16), rng.choice((0, 15, 30, 45))), tzinfo=person.tz
                )
                starts = local.astimezone(UTC)
                past = starts < now
                status = _pick(rng, APPOINTMENT_STATUS_PAST) if past else AppointmentStatus.PLANIFIE
                done = status != AppointmentStatus.PLANIFIE
                yield (
                    aid,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    person.id,
                    person.spip_id,
                    (first if k == 0 else suivi).pk,
                    agenda.place_id,
                    agenda.pk,
                    person.referent_id,
                    starts,
                    starts + timedelta(minutes=45),
                    str(status),
                    "Certificat médical" if status == AppointmentStatus.EXCUSE else "",
                    "",
                    starts + timedelta(hours=1) if done else None,
                    person.referent_id if done else None,
                    starts if status == AppointmentStatus.HONORE else None,
                    "",
                    1,
                    now,
                    person.referent_id,
                )
                aid += 1

    _timed(
        counts,
        "appointments",
        lambda: writer.write(
            Appointment,
            (
                "id",
                "public_id",
                "person_id",
                "spip_id",
                "appointment_type_id",
                "place_id",
                "agenda_id",
                "agent_id",
                "starts_at",
                "ends_at",
                "status",
                "outcome_reason",
                "outcome_proof",
                "outcome_at",
                "outcome_by_id",
                "arrived_at",
                "comment",
                "version",
                "created_at",
                "created_by_id",
            ),
            appointments(),
        ),
    )
    say(f"rendez-vous : {counts.rows['appointments']} en {counts.seconds['appointments']:.1f} s")

    kinds = [k.value for k in NoteKind]
    note_plan: list[tuple[int, int, str, date, bool, str]] = []

    def notes() -> Iterator[tuple[Any, ...]]:
        nid = writer.next_id(Note)
        for person in people:
            for _ in range(rng.randint(NOTES_PER_PERSON - 5, NOTES_PER_PERSON + 5)):
                body_html, plain, keys = pools.notes[rng.randrange(len(pools.notes))]
                kind = rng.choice(kinds)
                day = today - timedelta(days=rng.randint(0, 700))
                sensitive = rng.random() < 0.02
                note_plan.append((nid, person.referent_id, kind, day, sensitive, body_html))
                yield (
                    nid,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    person.id,
                    person.spip_id,
                    person.measure_ids[0] if person.measure_ids else None,
                    kind,
                    day,
                    person.referent_id,
                    sensitive,
                    body_html,
                    plain,
                    keys,
                    1,
                    now,
                    now,
                )
                nid += 1

    _timed(
        counts,
        "notes",
        lambda: writer.write(
            Note,
            (
                "id",
                "public_id",
                "person_id",
                "spip_id",
                "measure_id",
                "kind",
                "event_date",
                "author_id",
                "sensitive",
                "body_html",
                "body_text",
                "search_text",
                "version",
                "created_at",
                "updated_at",
            ),
            notes(),
        ),
    )
    say(f"notes : {counts.rows['notes']} en {counts.seconds['notes']:.1f} s")

    def versions() -> Iterator[tuple[Any, ...]]:
        vid = writer.next_id(NoteVersion)
        for nid, author, kind, day, sensitive, body_html in note_plan:
            yield (vid, nid, 1, author, now, kind, day, sensitive, body_html)
            vid += 1

    _timed(
        counts,
        "note versions",
        lambda: writer.write(
            NoteVersion,
            (
                "id",
                "note_id",
                "version",
                "edited_by_id",
                "edited_at",
                "kind",
                "event_date",
                "sensitive",
                "body_html",
            ),
            versions(),
        ),
    )
    note_plan.clear()

    if audit:
        staff = {u.pk: u for info in spips for u in [*info.cpips, info.dpip] if u is not None}
        spip_names = {info.org.pk: info.org.name for info in spips}

        def events() -> Iterator[tuple[Any, ...]]:
            eid = writer.next_id(AuditEvent)
            for person in people:
                actor = staff[person.referent_id]
                org_name = spip_names[person.spip_id]
                label = f"Dossier {person.id}"
                for _ in range(rng.randint(AUDIT_PER_PERSON - 20, AUDIT_PER_PERSON + 20)):
                    consultation = rng.random() < 0.85
                    yield (
                        eid,
                        now - timedelta(seconds=rng.randint(60, 730 * 86400)),
                        actor.pk,
                        actor.username,
                        actor.role,
                        org_name,
                        person.spip_id,
                        AuditAction.CONSULTATION if consultation else AuditAction.MODIFICATION,
                        "person",
                        str(person.public_id),
                        label,
                        person.public_id,
                        "referent" if consultation else "",
                        "",
                        uuid.UUID(int=rng.getrandbits(128)).hex,
                        "10.0.0.1",
                        {},
                    )
                    eid += 1

        _timed(
            counts,
            "audit",
            lambda: writer.write(
                AuditEvent,
                (
                    "id",
                    "at",
                    "actor_id",
                    "actor_username",
                    "actor_role",
                    "actor_organisation",
                    "spip_id",
                    "action",
                    "object_type",
                    "object_id",
                    "object_label",
                    "person_public_id",
                    "motif",
                    "motif_detail",
                    "request_id",
                    "ip_address",
                    "details",
                ),
                events(),
            ),
        )
        say(f"journal : {counts.rows['audit']} en {counts.seconds['audit']:.1f} s")

    writer.fix_sequences()
    if writer.postgresql:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        counts.seconds["analyze"] = time.perf_counter() - start
    return counts
