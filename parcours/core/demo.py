"""Synthetic demo data (Faker fr_FR): one DISP, two SPIP in different time zones, antennas,
tribunals, a partner, ~12 CPIP, ~800 people with realistic measures, and the demo accounts.

Idempotent: organisations and accounts are found by natural key; people are generated only when
the demo SPIP has none yet, from a fixed seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from faker import Faker

from parcours.accounts.models import Organisation, OrganisationKind, Role, SiteType, User
from parcours.breaches.models import Breach, BreachKind, FollowUpStatus, NextStep
from parcours.catalog.models import MeasureType, Milieu
from parcours.measures.models import Measure, MeasureStatus
from parcours.obligations.compliance import refresh_compliance
from parcours.obligations.models import (
    Obligation,
    ObligationType,
    ProofKind,
    ProofStatus,
)
from parcours.obligations.models import Proof as ProofRow
from parcours.people.models import Address, Assignment, Housing, Person, Sex
from parcours.people.phones import PhoneError, normalise_french_mobile
from parcours.rules.compliance import ObligationTerms, obligation_periods
from parcours.rules.identity import fold
from parcours.rules.measures import add_months


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    org_key: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("cpip.demo", "Camille", "Martin", Role.CPIP, "lille", "CPIP, antenne de Lille"),
    DemoAccount("cpip2.demo", "Julien", "Bernard", Role.CPIP, "lille", "CPIP, même antenne"),
    DemoAccount(
        "cpip.autre.demo", "Nadia", "Payet", Role.CPIP, "st-denis", "CPIP, SPIP de La Réunion"
    ),
    DemoAccount("dpip.demo", "Sophie", "Lefebvre", Role.DPIP, "lille", "DPIP, antenne de Lille"),
    DemoAccount(
        "secretariat.demo", "Karim", "Benali", Role.SECRETARIAT, "lille", "Secrétariat, Lille"
    ),
    DemoAccount("jap.demo", "Hélène", "Roussel", Role.JAP, "tj-lille", "JAP, TJ de Lille"),
    DemoAccount(
        "partenaire.demo", "Marc", "Dupuis", Role.PARTENAIRE, "ft-lille", "France Travail Lille"
    ),
    DemoAccount("admin.demo", "Alex", "Morel", Role.ADMIN, "admin", "Administrateur technique"),
]

# (key, kind, name, parent key, site type, timezone, code)
ORGANISATIONS = [
    (
        "admin",
        OrganisationKind.ADMINISTRATION,
        "Administration Parcours",
        None,
        "",
        "Europe/Paris",
        "",
    ),
    ("disp", OrganisationKind.DISP, "DISP de Lille", None, "", "Europe/Paris", "DISP-LIL"),
    ("spip59", OrganisationKind.SPIP, "SPIP du Nord", "disp", SiteType.SIEGE, "Europe/Paris", "59"),
    (
        "lille",
        OrganisationKind.ANTENNE,
        "Antenne de Lille",
        "spip59",
        SiteType.MILIEU_OUVERT,
        "Europe/Paris",
        "",
    ),
    (
        "douai",
        OrganisationKind.ANTENNE,
        "Antenne de Douai",
        "spip59",
        SiteType.MILIEU_OUVERT,
        "Europe/Paris",
        "",
    ),
    (
        "sequedin",
        OrganisationKind.ANTENNE,
        "Antenne du centre pénitentiaire de Lille-Loos-Sequedin",
        "spip59",
        SiteType.MILIEU_FERME,
        "Europe/Paris",
        "",
    ),
    (
        "spip974",
        OrganisationKind.SPIP,
        "SPIP de La Réunion",
        "disp",
        SiteType.SIEGE,
        "Indian/Reunion",
        "974",
    ),
    (
        "st-denis",
        OrganisationKind.ANTENNE,
        "Antenne de Saint-Denis",
        "spip974",
        SiteType.MILIEU_OUVERT,
        "Indian/Reunion",
        "",
    ),
    (
        "st-pierre",
        OrganisationKind.ANTENNE,
        "Antenne de Saint-Pierre",
        "spip974",
        SiteType.MILIEU_OUVERT,
        "Indian/Reunion",
        "",
    ),
    (
        "tj-lille",
        OrganisationKind.TRIBUNAL,
        "Tribunal judiciaire de Lille",
        "spip59",
        "",
        "Europe/Paris",
        "",
    ),
    (
        "tj-douai",
        OrganisationKind.TRIBUNAL,
        "Tribunal judiciaire de Douai",
        "spip59",
        "",
        "Europe/Paris",
        "",
    ),
    (
        "tj-st-denis",
        OrganisationKind.TRIBUNAL,
        "Tribunal judiciaire de Saint-Denis",
        "spip974",
        "",
        "Indian/Reunion",
        "",
    ),
    (
        "ft-lille",
        OrganisationKind.PARTENAIRE,
        "France Travail — agence de Lille",
        None,
        "",
        "Europe/Paris",
        "",
    ),
]

# Other CPIP per antenna (besides the demo accounts): 12 CPIP in all.
EXTRA_CPIP = {"lille": 3, "douai": 3, "sequedin": 1, "st-denis": 1, "st-pierre": 1}

MEASURE_MIX = [
    ("sursis_probatoire", 40),
    ("sursis_probatoire_renforce", 6),
    ("tig", 12),
    ("ddse", 8),
    ("liberation_conditionnelle", 5),
    ("liberation_sous_contrainte", 4),
    ("ssj", 5),
    ("surveillance_judiciaire", 1),
    ("controle_judiciaire", 7),
    ("ajournement_probation", 2),
    ("stage", 4),
    ("semi_liberte", 2),
    ("placement_exterieur", 1),
    ("suivi_milieu_ferme", 3),
]
# Measures followed after a release from prison: some carry a recent release date (CPP 741-1).
POST_RELEASE_TYPES = frozenset(
    {"liberation_conditionnelle", "liberation_sous_contrainte", "ssj", "surveillance_judiciaire"}
)
STATUS_MIX = [
    (MeasureStatus.EN_COURS, 78),
    (MeasureStatus.A_VENIR, 7),
    (MeasureStatus.SUSPENDUE, 4),
    (MeasureStatus.TERMINEE, 8),
    (MeasureStatus.REVOQUEE, 3),
]


def _pick(rng: random.Random, mix: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in mix], weights=[w for _, w in mix], k=1)[0]


def ensure_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for key, kind, name, parent_key, site_type, tz, code in ORGANISATIONS:
        parent = orgs.get(parent_key) if parent_key else None
        org, _ = Organisation.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={"parent": parent, "site_type": site_type, "timezone": tz, "code": code},
        )
        spip: Organisation | None = None
        if kind == OrganisationKind.SPIP:
            spip = org
        elif kind in (OrganisationKind.ANTENNE, OrganisationKind.TRIBUNAL) and parent:
            spip = parent
        if org.spip_id != (spip.pk if spip else None):
            org.spip = spip
            org.save(update_fields=["spip"])
        orgs[key] = org
    return orgs


def _ensure_user(
    username: str, first: str, last: str, role: str, org: Organisation, password_hash: str
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "role": role,
            "organisation": org,
            "email": f"{username}@parcours.invalid",
        },
    )
    if created:
        user.password = password_hash
        user.save(update_fields=["password"])
    return user


def ensure_accounts(orgs: dict[str, Organisation], password: str) -> dict[str, User]:
    # One shared demo password: hash it once (argon2 is slow on purpose), not once per account.
    password_hash = make_password(password)
    users = {
        a.username: _ensure_user(
            a.username, a.first_name, a.last_name, a.role, orgs[a.org_key], password_hash
        )
        for a in DEMO_ACCOUNTS
    }
    fake = Faker("fr_FR")
    fake.seed_instance(59974)
    for key, count in EXTRA_CPIP.items():
        for i in range(count):
            first, last = fake.first_name(), fake.last_name()
            users[f"cpip.{key}.{i}"] = _ensure_user(
                f"cpip.{key}.{i + 1}", first, last, Role.CPIP, orgs[key], password_hash
            )
    return users


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


@transaction.atomic
def create_people(
    orgs: dict[str, Organisation], users: dict[str, User], total: int, seed: int = 2026
) -> int:
    """Creates `total` people spread over both SPIP (about 80 % in the Nord)."""
    rng = random.Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    today = timezone.localdate()
    types = {t.code: t for t in MeasureType.objects.current()}
    cpips_by_spip: dict[int, list[User]] = {}
    for user in users.values():
        if user.role == Role.CPIP and user.organisation and user.organisation.spip_id:
            cpips_by_spip.setdefault(user.organisation.spip_id, []).append(user)
    tribunals = {
        orgs["spip59"].pk: [orgs["tj-lille"], orgs["tj-douai"]],
        orgs["spip974"].pk: [orgs["tj-st-denis"]],
    }
    main_cpip = users["cpip.demo"]
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
            nationality="Française"
            if rng.random() < 0.85
            else rng.choice(
                ["Algérienne", "Marocaine", "Comorienne", "Malgache", "Roumaine", "Tunisienne"]
            ),
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
        person.search_name = fold(f"{person.last_name} {person.first_names} {person.birth_name}")
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    created = list(Person.objects.filter(appi_number__in=[p.appi_number for p in people]))
    measures: list[Measure] = []
    assignments: list[Assignment] = []
    addresses: list[Address] = []
    now = timezone.now()
    # A generator of its own for the deadline dates, so the rest of the data stays as it was.
    dates_rng = random.Random(seed + 1)
    for person in created:
        for _ in range(1 if rng.random() < 0.8 else 2):
            code = _pick(rng, MEASURE_MIX)
            mtype = types[code]
            status = _pick(rng, STATUS_MIX)
            judgment = today - timedelta(days=rng.randint(20, 900))
            start = judgment + timedelta(days=rng.randint(0, 60))
            months = None
            if mtype.has_probation_period:
                months = rng.choice([12, 18, 24, 24, 36])
            duration = months or rng.choice([6, 12, 18])
            if status == MeasureStatus.A_VENIR:
                judgment = today - timedelta(days=rng.randint(5, 40))
                start = today + timedelta(days=rng.randint(5, 60))
            release = received = None
            if status == MeasureStatus.A_VENIR and code not in POST_RELEASE_TYPES:
                # A file awaiting its aménagement (CPP art. 723-15), received after the judgment.
                received = judgment + timedelta(days=dates_rng.randint(0, 4))
            elif code in POST_RELEASE_TYPES and status != MeasureStatus.A_VENIR:
                # Half of them were released recently: the first convocation is due (741-1).
                recent = dates_rng.random() < 0.5
                if recent and status in (MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE):
                    release = max(judgment, today - timedelta(days=dates_rng.randint(0, 45)))
                    start = release
            end = add_months(start, duration)
            if status == MeasureStatus.TERMINEE and end > today:
                end = today - timedelta(days=rng.randint(1, 200))
                start = min(start, end - timedelta(days=30))
                judgment = min(judgment, start)
            measures.append(
                Measure(
                    person=person,
                    measure_type=mtype,
                    tribunal=rng.choice(tribunals[person.spip_id]),
                    judgment_date=judgment,
                    start_date=start,
                    end_date=end,
                    release_date=release,
                    file_received_on=received,
                    probation_months=months,
                    milieu=mtype.default_milieu if rng.random() < 0.95 else Milieu.FERME,
                    status=status,
                )
            )
        if person.referent_id:
            assignments.append(
                Assignment(
                    person=person,
                    cpip_id=person.referent_id,
                    started_at=now - timedelta(days=rng.randint(1, 400)),
                    reason="Prise en charge initiale",
                )
            )
        city = "Saint-Denis" if person.spip_id == orgs["spip974"].pk else fake.city()
        postal = "97400" if person.spip_id == orgs["spip974"].pk else f"59{rng.randint(0, 999):03d}"
        addresses.append(
            Address(
                person=person,
                line=fake.street_address(),
                postal_code=postal,
                city=city,
                since=today - timedelta(days=rng.randint(30, 2000)),
            )
        )
    Measure.objects.bulk_create(measures, batch_size=500)
    Assignment.objects.bulk_create(assignments, batch_size=500)
    Address.objects.bulk_create(addresses, batch_size=500)
    create_obligations(measures, main_cpip, seed)
    create_breaches(measures, main_cpip, seed)
    return len(created)


BREACH_FACTS = [
    (BreachKind.ABSENCE, "Absent à la convocation du SPIP, sans justificatif."),
    (BreachKind.JUSTIFICATIF, "Attestation de soins du mois non remise malgré le rappel."),
    (BreachKind.INTERDICTION, "Présence signalée dans la zone interdite par la gendarmerie."),
]


def create_breaches(measures: Sequence[Measure], main_cpip: User, seed: int) -> int:
    """A few manquements on cpip.demo's people: one, two and three in the last 12 months, so each
    proposed next step (rappel, convocation, rapport d'incident) shows."""
    rng = random.Random(seed + 7)
    today = timezone.localdate()
    running = [m for m in measures if m.status == MeasureStatus.EN_COURS]
    # cpip.demo's people first; others of the same SPIP when a small demo gives them fewer than 9.
    current = [m for m in running if m.person.referent_id == main_cpip.pk] + [
        m
        for m in running
        if m.person.referent_id not in (None, main_cpip.pk)
        and m.person.spip_id == main_cpip.spip_id
    ]
    breaches: list[Breach] = []
    for index, measure in enumerate(current[:9]):
        count = index % 3 + 1
        for n in range(count):
            kind, facts = BREACH_FACTS[(index + n) % len(BREACH_FACTS)]
            step = [NextStep.RAPPEL, NextStep.CONVOCATION, NextStep.RAPPORT_INCIDENT][n]
            breaches.append(
                Breach(
                    person=measure.person,
                    measure=measure,
                    kind=kind,
                    occurred_on=today - timedelta(days=rng.randint(5, 300)),
                    facts=facts,
                    proposed_step=step,
                    chosen_step=step,
                    followup_status=FollowUpStatus.FAIT
                    if n < count - 1
                    else FollowUpStatus.A_FAIRE,
                    followup_done_on=today - timedelta(days=2) if n < count - 1 else None,
                )
            )
    Breach.objects.bulk_create(breaches)
    return len(breaches)


# Compliance scenarios of the demo obligations (monthly proofs), cycled so that even a small
# demo shows every status: (scenario, days since the due date of the last period without an
# accepted proof; None: every period so far is covered).
COMPLIANCE_SCENARIOS: list[tuple[str, tuple[int, int] | None]] = [
    ("a_jour", None),
    ("justificatif_attendu", (2, 12)),
    ("en_retard", (18, 28)),
    ("manquement", (35, 80)),
    ("a_jour", None),
]
# (obligation type code, parameters) of the demo obligations with a monthly proof.
DEMO_OBLIGATIONS = [
    ("cp_132_45_1", {"organisme": "Entreprise de transport du Nord"}),
    ("cp_132_45_3", {"nature": "suivi addictologique", "structure": "CSAPA de Lille"}),
    ("cp_132_45_1", {"organisme": "AFPA de Roubaix"}),
]


def _scenario_start(
    rng: random.Random, today: date, late: tuple[int, int] | None
) -> tuple[date, date | None]:
    """A start date, and the due date of the monthly period that is `late` days overdue (the
    day after it is a day of month ≤ 28, so months add exactly), at least two periods back.
    Without `late`: any start, no overdue period."""
    if late is None:
        return today - timedelta(days=rng.randint(45, 300)), None
    days = [d for d in range(late[0], late[1] + 1) if (today - timedelta(days=d - 1)).day <= 28]
    due = today - timedelta(days=rng.choice(days))
    return add_months(due + timedelta(days=1), -rng.randint(2, 8)), due


def create_obligations(measures: Sequence[Measure], main_cpip: User, seed: int) -> int:
    """Monthly-proof obligations with justificatifs on measures in progress, the demo CPIP's
    people first, cycling through the compliance scenarios (own generator: the rest of the
    data does not change). Returns how many obligations were created."""
    rng = random.Random(seed + 2)
    today = timezone.localdate()
    types = {t.code: t for t in ObligationType.objects.current()}
    in_progress = [m for m in measures if m.status == MeasureStatus.EN_COURS and m.start_date]
    in_progress.sort(key=lambda m: (m.person.referent_id != main_cpip.pk, m.person_id, m.pk))
    seen: set[int] = set()
    chosen: list[Measure] = []
    for measure in in_progress:
        if measure.person_id in seen:
            continue
        seen.add(measure.person_id)
        if measure.person.referent_id == main_cpip.pk or rng.random() < 0.4:
            chosen.append(measure)
    obligations: list[Obligation] = []
    proof_plans: list[list[tuple[date, date, date, str]]] = []
    now = timezone.now()
    for position, measure in enumerate(chosen):
        scenario, late = COMPLIANCE_SCENARIOS[position % len(COMPLIANCE_SCENARIOS)]
        code, parameters = DEMO_OBLIGATIONS[position % len(DEMO_OBLIGATIONS)]
        kind = types[code]
        start, overdue = _scenario_start(rng, today, late)
        terms = ObligationTerms(start=start, cadence_months=1)
        plan: list[tuple[date, date, date, str]] = []
        periods = obligation_periods(terms, today)
        # The overdue period, and the later ones, have no accepted proof in the late scenarios.
        gap = next((i for i, p in enumerate(periods) if p.due == overdue), len(periods))
        for index, period in enumerate(periods):
            received = min(period.start + timedelta(days=rng.randint(3, 20)), today)
            if late is not None and index == gap:
                if scenario == "justificatif_attendu" and rng.random() < 0.5:
                    plan.append((min(period.due, today), period.start, period.end, "en_attente"))
                elif scenario == "en_retard":
                    plan.append((received, period.start, period.end, "refuse"))
                continue
            if late is not None and index > gap:
                continue  # the period in progress: nothing handed in yet
            plan.append((received, period.start, period.end, "accepte"))
        obligations.append(
            Obligation(
                measure=measure,
                obligation_type=kind,
                parameters=parameters,
                start_date=start,
                imposed_on=min(start, measure.judgment_date),
                proof_type=kind.default_proof_type,
                cadence_months=1,
                created_by=main_cpip if measure.person.referent_id == main_cpip.pk else None,
            )
        )
        proof_plans.append(plan)
    Obligation.objects.bulk_create(obligations, batch_size=500)
    proofs: list[ProofRow] = []
    for obligation, plan in zip(obligations, proof_plans, strict=True):
        referent_id = obligation.measure.person.referent_id
        for received, covers_from, covers_to, status in plan:
            decided = status != ProofStatus.EN_ATTENTE
            proofs.append(
                ProofRow(
                    obligation=obligation,
                    kind=ProofKind.PAPIER,
                    received_on=received,
                    covers_from=covers_from,
                    covers_to=covers_to,
                    status=status,
                    decision_reason=(
                        "Attestation illisible, à fournir à nouveau."
                        if status == ProofStatus.REFUSE
                        else ""
                    ),
                    decided_by_id=referent_id if decided else None,
                    decided_at=now if decided else None,
                    uploaded_by_id=referent_id,
                )
            )
    ProofRow.objects.bulk_create(proofs, batch_size=500)
    return len(obligations)


# Other apps' demo data, run after the people exist. Each function `(orgs, users) -> dict[str, int]`
# is idempotent (it creates nothing when its data is already there) and returns what it created.
DEMO_SEEDERS = (
    "parcours.ledgers.demo.seed",
    "parcours.agenda.demo.seed",
    "parcours.notifications.demo.seed",
    "parcours.notes.demo.seed",
    "parcours.reports.demo.seed",
)


def seed(total_people: int = 800) -> dict[str, int]:
    """Loads the demo data; returns what was created this time."""
    orgs = ensure_organisations()
    before = User.objects.count()
    users = ensure_accounts(orgs, settings.DEMO_PASSWORD)
    created_users = User.objects.count() - before
    created_people = 0
    demo_spips = [orgs["spip59"].pk, orgs["spip974"].pk]
    if not Person.objects.filter(spip_id__in=demo_spips).exists():
        created_people = create_people(orgs, users, total_people)
    refresh_compliance(today=timezone.localdate())
    counts = {"users": created_users, "people": created_people}
    for path in DEMO_SEEDERS:
        counts.update(import_string(path)(orgs, users))
    return counts


def demo_accounts_text(password: str) -> str:
    lines = ["Comptes de démonstration (mot de passe commun : " + password + ")"]
    for account in DEMO_ACCOUNTS:
        lines.append(f"  {account.username:<18} {account.description}")
    return "\n".join(lines)
