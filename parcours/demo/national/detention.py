"""The milieu fermé of the national dataset (issue 15): 85,000 detainees at scale 1.0, spread
over the SPIP in proportion to their size. Each SPIP gets a milieu fermé antenna with its prison
(an organisation of kind "etablissement") and CPIP cpip.mf.n00001 … carrying up to 100
detainees each; each detainee an open écrou with its incarceration period, one to three
sentences, now and then custody to deduct, reduction decisions (some withdrawn), a
disciplinary sanction, and the "suivi en détention" measure. About one écrou in six started
before 2023 (former credit regime).

Drawn from a generator of its own (seed + 15), after the rest: the milieu ouvert data is the
same with or without it. No journal rows, no appointments: the nightly recomputation of the
sentence dates is what this data is for (docs/benchmarks.md)."""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password

from parcours.accounts.models import Organisation, OrganisationKind, Role, SiteType, User
from parcours.catalog.models import MeasureType
from parcours.detention.models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    sync_ever_detained,
)
from parcours.measures.models import Measure, MeasureStatus
from parcours.people.models import Assignment, Housing, IncarcerationPeriod, Person, Sex, search_key
from parcours.rules.detention import CustodyKind, Execution, ReductionKind, SentenceFlag
from parcours.rules.timeline import Nature
from parcours.rules.vocabulary import Milieu

from .cases import MEASURE_FIELDS, PERSON_FIELDS, born
from .organisations import SpipInfo, _split
from .state import Run

FULL_DETAINEES = 85_000
SOURCE = "Fiche pénale"
MF_CASELOAD = 100  # detainees per milieu fermé CPIP, at most
MF_USERNAME_PREFIX = "cpip.mf.n"
# (years, months, days) of a sentence, and its weight: many short ones, a long tail.
LENGTHS: list[tuple[tuple[int, int, int], int]] = [
    ((0, 3, 0), 10),
    ((0, 6, 0), 14),
    ((0, 10, 0), 12),
    ((1, 0, 0), 14),
    ((1, 6, 0), 10),
    ((2, 0, 0), 12),
    ((3, 0, 0), 9),
    ((5, 0, 0), 8),
    ((8, 0, 0), 5),
    ((12, 0, 0), 4),
    ((20, 0, 0), 2),
]
FLAGS = [
    (SentenceFlag.VIOLENCES_CONJUGALES, 0.10),
    (SentenceFlag.VICTIME_PDAP, 0.03),
    (SentenceFlag.VICTIME_MINEUR_15, 0.02),
    (SentenceFlag.TERRORISME, 0.005),
    (SentenceFlag.SSJ_ENCOURU, 0.05),
]
OFFENCES = [
    "Vol aggravé",
    "Trafic de stupéfiants",
    "Violences volontaires",
    "Conduite sans permis en récidive",
    "Escroquerie",
    "Cambriolage",
]
ECROU_FIELDS = (
    "id public_id person_id establishment_id number start parent_enfant_moins_10 hebergement "
    "incarceration_id version created_at updated_at"
)
PERIOD_FIELDS = "id public_id person_id start establishment source version created_at updated_at"
SENTENCE_FIELDS = (
    "id public_id ecrou_id rank years months days execution definitive_on nature recidive flags "
    "surete_years surete_months surete_days court judged_on offence version created_at updated_at"
)
REDUCTION_FIELDS = "id public_id ecrou_id kind granted_on months days withdrawn note created_at"
CUSTODY_FIELDS = "id public_id ecrou_id kind start end note created_at"
SANCTION_FIELDS = "id public_id ecrou_id on violence description created_at"


@dataclass
class Prison:
    spip: SpipInfo
    establishment: Organisation
    cpips: list[User]


@dataclass
class EcrouPlan:
    id: int
    person_id: int
    start: date
    total_days: int


def detainees_for(scale: float) -> int:
    return max(1, round(FULL_DETAINEES * scale))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def build_prisons(spips: list[SpipInfo], total: int) -> list[tuple[Prison, int]]:
    """Per SPIP: a milieu fermé antenna, its prison and its CPIP; the SPIP's share of the
    detainees (in proportion to its CPIP)."""
    shares = _split(total, [max(info.cpip_count, 1) for info in spips])
    antennas = []
    for info in spips:
        code = info.org.code
        antennas.append(
            Organisation(
                kind=OrganisationKind.ANTENNE,
                name=f"Antenne milieu fermé ({code}-MF)",
                site_type=SiteType.MILIEU_FERME,
                parent=info.org,
                spip=info.org,
                timezone=info.org.timezone,
            )
        )
    Organisation.objects.bulk_create(antennas, batch_size=500)
    prisons = [
        Organisation(
            kind=OrganisationKind.ETABLISSEMENT,
            name=f"Centre pénitentiaire ({info.org.code})",
            code=f"EP-{info.org.code}",
            parent=antenna,
            spip=info.org,
            timezone=info.org.timezone,
        )
        for info, antenna in zip(spips, antennas, strict=True)
    ]
    Organisation.objects.bulk_create(prisons, batch_size=500)
    password_hash = make_password(settings.DEMO_PASSWORD)
    users: list[User] = []
    per_spip: list[list[User]] = []
    number = 0
    for share, antenna in zip(shares, antennas, strict=True):
        mine = []
        for _ in range(max(1, math.ceil(share / MF_CASELOAD)) if share else 0):
            number += 1
            username = f"{MF_USERNAME_PREFIX}{number:05d}"
            mine.append(
                User(
                    username=username,
                    first_name="Agent",
                    last_name=f"MF {number:05d}",
                    email=f"{username}@parcours.invalid",
                    role=Role.CPIP,
                    organisation=antenna,
                    password=password_hash,
                )
            )
        users += mine
        per_spip.append(mine)
    User.objects.bulk_create(users, batch_size=1000)
    return [
        (Prison(info, prison, cpips), share)
        for info, prison, cpips, share in zip(spips, prisons, per_spip, shares, strict=True)
    ]


def load_detention(run: Run, total: int, seed: int) -> None:
    """The detainees and their écrous (see the module docstring), table by table."""
    if total <= 0:
        return
    rng = random.Random(seed + 15)
    prisons = build_prisons(run.spips, total)
    run.loader.counts.rows["organisations_mf"] = 2 * len(prisons)
    writer = run.loader.writer
    today, now, pools = run.today, run.now, run.pools
    people: list[tuple[int, Prison, int]] = []  # person id, prison, referent id

    def person_rows() -> Iterator[tuple[Any, ...]]:
        pid = writer.next_id(Person)
        for prison, share in prisons:
            for index in range(share):
                cpip = prison.cpips[index % len(prison.cpips)]
                sex = Sex.FEMININ if rng.random() < 0.04 else Sex.MASCULIN
                first = rng.choice(pools.female if sex == Sex.FEMININ else pools.male)
                last = rng.choice(pools.last)
                people.append((pid, prison, cpip.pk))
                yield (
                    pid,
                    _uuid(rng),
                    prison.spip.org.pk,
                    cpip.organisation_id,
                    cpip.pk,
                    last,
                    "",
                    first,
                    "",
                    *born(rng, pools, today, sex, ages=(18, 75), local=0.8),
                    "",
                    "",
                    True,
                    False,
                    Housing.DETENTION,
                    f"{today.year - rng.randint(0, 9)}15{pid:06d}"[-12:],
                    search_key(last, first, ""),
                    1,
                    now,
                    now,
                )
                pid += 1

    load = run.loader.load
    numbered = partial(load, numbered=True)  # the rows come without their ids
    load("detainees", "personnes détenues", Person, PERSON_FIELDS, person_rows())
    numbered(
        "detainee_assignments",
        "affectations (milieu fermé)",
        Assignment,
        "id person_id cpip_id started_at reason",
        (
            (pid, cpip_id, now - timedelta(days=rng.randint(1, 400)), "Prise en charge")
            for pid, _prison, cpip_id in people
        ),
    )
    starts: list[date] = []
    for _ in people:
        if rng.random() < 0.17:
            starts.append(date(2020, 1, 1) + timedelta(days=rng.randint(0, 1095)))  # before 2023
        else:
            starts.append(today - timedelta(days=rng.randint(5, 1400)))
    first_period = writer.next_id(IncarcerationPeriod)
    load(
        "incarcerations",
        "périodes d'incarcération",
        IncarcerationPeriod,
        PERIOD_FIELDS,
        (
            (
                first_period + i,
                _uuid(rng),
                pid,
                start,
                prison.establishment.name,
                SOURCE,
                1,
                now,
                now,
            )
            for i, ((pid, prison, _c), start) in enumerate(zip(people, starts, strict=True))
        ),
    )
    plans: list[EcrouPlan] = []

    def ecrou_rows() -> Iterator[tuple[Any, ...]]:
        eid = writer.next_id(Ecrou)
        for i, ((pid, prison, _c), start) in enumerate(zip(people, starts, strict=True)):
            plans.append(EcrouPlan(eid, pid, start, 0))
            yield (
                eid,
                _uuid(rng),
                pid,
                prison.establishment.pk,
                f"{start.year % 100:02d}{eid:07d}",
                start,
                rng.random() < 0.12,
                rng.random() < 0.45,
                first_period + i,
                1,
                now,
                now,
            )
            eid += 1

    load("ecrous", "écrous", Ecrou, ECROU_FIELDS, ecrou_rows())
    sync_ever_detained()  # COPY bypasses Ecrou.save

    def sentence_rows() -> Iterator[tuple[Any, ...]]:
        for plan in plans:
            definitive = plan.start - timedelta(days=rng.randint(0, 120))
            for rank in range(1, 1 + _pick(rng, [(1, 75), (2, 18), (3, 7)])):
                length = _pick(rng, LENGTHS)
                crime = length[0] >= 8
                flags = [flag for flag, share in FLAGS if rng.random() < share]
                surete = (length[0] // 2, 0, 0) if crime and rng.random() < 0.5 else (0, 0, 0)
                plan.total_days += length[0] * 365 + length[1] * 30 + length[2]
                yield (
                    _uuid(rng),
                    plan.id,
                    rank,
                    *length,
                    Execution.SUCCESSIVE,
                    definitive,
                    Nature.CRIME if crime else Nature.DELIT,
                    rng.random() < 0.2,
                    flags,
                    *surete,
                    "Cour d'assises" if crime else "Tribunal correctionnel",
                    definitive - timedelta(days=rng.randint(10, 40)),
                    rng.choice(OFFENCES),
                    1,
                    now,
                    now,
                )

    numbered("sentences", "peines à exécuter", SentenceLine, SENTENCE_FIELDS, sentence_rows())

    def reduction_rows() -> Iterator[tuple[Any, ...]]:
        for plan in plans:
            served = (today - plan.start).days
            if served < 200 or rng.random() < 0.4:
                continue
            old = plan.start < date(2023, 1, 1)
            kind = ReductionKind.RETRAIT_CRP if old else ReductionKind.RP
            if old and rng.random() < 0.7:
                continue  # the former credit is automatic: a decision only to withdraw it
            granted = plan.start + timedelta(days=rng.randint(150, min(served, 900)))
            withdrawn = old or rng.random() < 0.1
            months = rng.choice([1, 2, 3]) if not withdrawn else 0
            days = 0 if months else rng.choice([10, 15, 30])
            note = "Retrait" if withdrawn else "Bonne conduite"
            yield (_uuid(rng), plan.id, kind, granted, months, days, withdrawn, note, now)

    numbered("reductions", "réductions", ReductionDecision, REDUCTION_FIELDS, reduction_rows())

    def custody_rows() -> Iterator[tuple[Any, ...]]:
        for plan in plans:
            if rng.random() >= 0.2:
                continue
            end = plan.start - timedelta(days=rng.randint(30, 700))
            start = end - timedelta(days=rng.randint(2, 300))
            kind = rng.choice([CustodyKind.DETENTION_PROVISOIRE] * 4 + [CustodyKind.ARSE])
            yield (_uuid(rng), plan.id, kind, start, end, "", now)

    numbered("prior_custody", "détentions à imputer", PriorCustody, CUSTODY_FIELDS, custody_rows())

    def sanction_rows() -> Iterator[tuple[Any, ...]]:
        for plan in plans:
            served = (today - plan.start).days
            if served < 30 or rng.random() >= 0.03:
                continue
            on = plan.start + timedelta(days=rng.randint(1, served - 1))
            yield (_uuid(rng), plan.id, on, rng.random() < 0.5, "Incident en détention", now)

    numbered("sanctions", "sanctions", DisciplinarySanction, SANCTION_FIELDS, sanction_rows())

    follow = MeasureType.objects.current().get(code="suivi_milieu_ferme")
    tribunals = {info.org.pk: info.tribunals for info in run.spips}

    def measure_rows() -> Iterator[tuple[Any, ...]]:
        for plan, (_pid, prison, _c) in zip(plans, people, strict=True):
            yield (
                _uuid(rng),
                plan.person_id,
                follow.pk,
                rng.choice(tribunals[prison.spip.org.pk]).pk,
                plan.start - timedelta(days=rng.randint(10, 100)),
                plan.start,
                plan.start + timedelta(days=max(plan.total_days, 1)),
                None,
                None,
                None,
                Milieu.FERME,
                MeasureStatus.EN_COURS,
                1,
                now,
                now,
            )

    numbered("detainee_measures", "mesures (milieu fermé)", Measure, MEASURE_FIELDS, measure_rows())
