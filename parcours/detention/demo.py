"""The milieu fermé of the demo (issue 15): about 120 detainees of the fictional prison of the
Nord SPIP (accounts.demo.PRISON_NAME), most followed by cpip.mf.demo, a few by the antenna's
other CPIP, whose écrous cover every case the sentence dates and the adjustments read: short and
long sentences, écrous before 2023 (former credit regime), each exclusion of the LSC de plein
droit (CPP 720 III), over 70, parent of a child under 10, sûreté, récidive, custody to deduct,
reductions granted and withdrawn, and a few people released recently (fin de peine, LC, LSC,
"sorties sèches").

Synthetic (Faker fr_FR, fixed seed). Idempotent: nothing is created once the prison has an écrou.
The rows are written directly (like the other demos); the people's incarceration periods are
kept in step with their écrous, as detention.services do. The situations are then computed by
detention.situations.refresh when it exists (importer.refresh_situations)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker

from parcours.accounts.demo import PRISON_NAME
from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.people.demo import assign_referents
from parcours.people.models import (
    Housing,
    IncarcerationPeriod,
    Person,
    Sex,
    search_key,
)
from parcours.rules.detention import CustodyKind, ReductionKind, ReleaseKind, SentenceFlag
from parcours.rules.timeline import Nature

from .importer import refresh_situations
from .models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    mark_detained,
)

SEED = 1515
APPI_MARK = "77"  # the demo's detainees' APPI numbers: YYYY77NNNNNN (people.demo uses the seed)
Length = tuple[int, int, int]  # years, months, days


@dataclass(frozen=True)
class Case:
    """One kind of detainee: `count` people drawn alike."""

    kind: str
    count: int
    sentences: tuple[Length, ...]
    served: tuple[int, int]  # days in custody so far (or at release), drawn in this range
    nature: str = Nature.DELIT
    flags: tuple[str, ...] = ()
    recidive: bool = False
    surete: Length = (0, 0, 0)
    ages: tuple[int, int] = (20, 60)
    parent: bool = False
    hebergement: bool | None = None  # None: drawn
    pre_trial: tuple[int, int] | None = None  # days of custody to deduct (outside the écrou)
    before_2023: bool = False  # écrou started in 2021 or 2022
    reductions: bool = False  # a reduction granted, then one withdrawn
    violence: bool = False  # disciplinary sanction for violence (720 III)
    released: str = ""  # ReleaseKind of a recent release
    after_release: str = ""  # measure type code following the release ("" for a sortie sèche)
    offence: str = "Vol aggravé"


V = SentenceFlag
CASES: tuple[Case, ...] = (
    Case("courte_moins_6_mois", 8, ((0, 4, 0),), (10, 60), offence="Conduite sans permis"),
    Case("courte_moins_1_an", 10, ((0, 10, 0),), (30, 150), offence="Vol simple"),
    Case("deux_ans", 12, ((2, 0, 0),), (60, 400)),
    Case("cinq_ans", 10, ((5, 0, 0),), (300, 1200), offence="Trafic de stupéfiants"),
    Case(
        "dix_ans_et_plus",
        8,
        ((12, 0, 0),),
        (900, 2000),
        nature=Nature.CRIME,
        surete=(6, 0, 0),
        offence="Vol à main armée",
    ),
    Case(
        "surete",
        4,
        ((8, 0, 0),),
        (500, 1500),
        nature=Nature.CRIME,
        surete=(4, 0, 0),
        offence="Viol",
    ),
    Case("avant_2023", 10, ((7, 0, 0),), (0, 0), before_2023=True, reductions=True),
    Case(
        "terrorisme",
        2,
        ((1, 6, 0),),
        (100, 300),
        flags=(V.TERRORISME,),
        hebergement=True,
        offence="Apologie publique d'actes de terrorisme",
    ),
    Case(
        "violences_conjugales",
        3,
        ((1, 6, 0),),
        (100, 300),
        flags=(V.VIOLENCES_CONJUGALES,),
        hebergement=True,
        offence="Violences sur conjoint",
    ),
    Case(
        "victime_pdap",
        2,
        ((1, 0, 0),),
        (100, 250),
        flags=(V.VICTIME_PDAP,),
        hebergement=True,
        offence="Violences sur personne dépositaire de l'autorité publique",
    ),
    Case(
        "victime_mineur_15",
        2,
        ((2, 0, 0),),
        (200, 500),
        flags=(V.VICTIME_MINEUR_15, V.SSJ_ENCOURU),
        hebergement=True,
        offence="Atteinte sexuelle sur mineur de quinze ans",
    ),
    Case("violence_disciplinaire", 2, ((1, 6, 0),), (100, 300), violence=True, hebergement=True),
    Case("plus_de_70_ans", 4, ((3, 0, 0),), (200, 800), ages=(71, 82), offence="Escroquerie"),
    Case("parent_enfant_moins_10", 6, ((2, 6, 0),), (150, 600), ages=(24, 40), parent=True),
    Case(
        "recidive",
        6,
        ((2, 0, 0), (0, 8, 0)),
        (100, 500),
        recidive=True,
        offence="Vol en récidive",
    ),
    Case("detention_a_imputer", 8, ((3, 0, 0),), (100, 500), pre_trial=(60, 300)),
    Case("reductions", 8, ((4, 0, 0),), (420, 900), reductions=True),
    Case("plusieurs_peines", 4, ((1, 0, 0), (0, 6, 0), (0, 3, 0)), (60, 400)),
    Case(
        "libere_fin_de_peine",
        4,
        ((1, 0, 0),),
        (330, 365),
        released=ReleaseKind.FIN_DE_PEINE,
        after_release="sursis_probatoire",
    ),
    Case(
        "libere_lc",
        3,
        ((4, 0, 0),),
        (800, 1000),
        released=ReleaseKind.LC,
        after_release="liberation_conditionnelle",
    ),
    Case(
        "libere_lsc",
        3,
        ((1, 6, 0),),
        (360, 400),
        released=ReleaseKind.LSC,
        after_release="liberation_sous_contrainte",
    ),
    Case("sortie_seche", 4, ((0, 8, 0),), (200, 240), released=ReleaseKind.FIN_DE_PEINE),
)
TOTAL = sum(case.count for case in CASES)
SHARE_OF_SECOND_CPIP = 8  # one detainee in 8 is followed by the antenna's other CPIP


@dataclass
class Detainee:
    person: Person
    case: Case
    ecrou: Ecrou
    release: date | None


@dataclass
class Seeded:
    detainees: list[Detainee] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"detenus": len(self.detainees)}


def prison(orgs: dict[str, Organisation]) -> Organisation:
    found = orgs.get("prison")
    if found is None:
        found = Organisation.objects.get(kind=OrganisationKind.ETABLISSEMENT, name=PRISON_NAME)
    return found


def seed(orgs: dict[str, Organisation], cpips: list[User]) -> Seeded:
    """Creates the detainees of the demo prison unless it has an écrou already; `cpips`: the
    milieu fermé CPIP, cpip.mf.demo first."""
    establishment = prison(orgs)
    if Ecrou.objects.filter(establishment=establishment).exists():
        return Seeded()
    seeded = create_detainees(establishment, cpips, timezone.localdate())
    refresh_situations([d.ecrou.pk for d in seeded.detainees])
    return seeded


def _length_days(length: Length) -> int:
    years, months, days = length
    return years * 365 + months * 30 + days


def create_detainees(establishment: Organisation, cpips: list[User], today: date) -> Seeded:
    rng = random.Random(SEED)
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    spip = establishment.spip
    now = timezone.now()
    people: list[Person] = []
    plans: list[tuple[Case, date, date | None]] = []
    index = 0
    for case in CASES:
        for _ in range(case.count):
            index += 1
            second = len(cpips) > 1 and index % SHARE_OF_SECOND_CPIP == 0
            referent = cpips[1] if second else cpips[0]
            sex = Sex.FEMININ if rng.random() < 0.08 else Sex.MASCULIN
            first = fake.first_name_female() if sex == Sex.FEMININ else fake.first_name_male()
            last = fake.last_name()
            age_days = rng.randint(case.ages[0] * 365 + 10, case.ages[1] * 365 + 300)
            if case.released:
                release: date | None = today - timedelta(days=rng.randint(3, 40))
                assert release is not None
                start = release - timedelta(days=rng.randint(*case.served))
            elif case.before_2023:
                release = None
                start = date(2021, 3, 1) + timedelta(days=rng.randint(0, 600))
            else:
                release = None
                start = today - timedelta(days=rng.randint(*case.served))
            people.append(
                Person(
                    spip=spip,
                    antenna=referent.organisation,
                    referent=referent,
                    last_name=last,
                    first_names=first,
                    birth_date=today - timedelta(days=age_days),
                    birth_place=fake.city(),
                    birth_country="France" if rng.random() < 0.85 else fake.country(),
                    sex=sex,
                    nationality="Française" if rng.random() < 0.85 else "Algérienne",
                    languages="français",
                    no_phone=release is None,
                    housing=Housing.DETENTION if release is None else Housing.HEBERGE_TIERS,
                    appi_number=f"{start.year}{APPI_MARK}{index:06d}",
                    search_name=search_key(last, first, ""),
                )
            )
            plans.append((case, start, release))
    Person.objects.bulk_create(people, batch_size=500)
    assign_referents(people, rng, now, days=200, reason="Prise en charge en détention")
    periods = [
        IncarcerationPeriod(
            person=p,
            start=start,
            end=release,
            establishment=establishment.name,
            source="Fiche pénale (démonstration)",
        )
        for p, (_case, start, release) in zip(people, plans, strict=True)
    ]
    IncarcerationPeriod.objects.bulk_create(periods, batch_size=500)
    ecrous = []
    for number, (p, period, (case, start, release)) in enumerate(
        zip(people, periods, plans, strict=True), start=1
    ):
        hebergement = case.hebergement if case.hebergement is not None else rng.random() < 0.5
        if case.released and not case.after_release:
            hebergement = False  # a sortie sèche: nothing prepared, no housing
        ecrous.append(
            Ecrou(
                person=p,
                establishment=establishment,
                number=f"{start.year % 100:02d}{number:05d}",
                start=start,
                released_on=release,
                release_kind=case.released,
                parent_enfant_moins_10=case.parent,
                hebergement=hebergement,
                incarceration=period,
            )
        )
    Ecrou.objects.bulk_create(ecrous, batch_size=500)
    mark_detained([e.person_id for e in ecrous])  # bulk_create skips save()

    lines: list[SentenceLine] = []
    custody: list[PriorCustody] = []
    reductions: list[ReductionDecision] = []
    sanctions: list[DisciplinarySanction] = []
    for ecrou, (case, start, _release) in zip(ecrous, plans, strict=True):
        # Most sentences became final before the écrou; with custody to deduct, the person was
        # held before trial elsewhere, then sentenced and incarcerated.
        definitive = start - timedelta(days=rng.randint(5, 90))
        for rank, length in enumerate(case.sentences, start=1):
            judged = definitive - timedelta(days=rng.randint(10, 30))
            crime = case.nature == Nature.CRIME
            lines.append(
                SentenceLine(
                    ecrou=ecrou,
                    rank=rank,
                    years=length[0],
                    months=length[1],
                    days=length[2],
                    definitive_on=definitive,
                    nature=case.nature,
                    recidive=case.recidive and rank == 1,
                    flags=list(case.flags),
                    surete_years=case.surete[0],
                    surete_months=case.surete[1],
                    surete_days=case.surete[2],
                    court="Cour d'assises du Nord" if crime else "Tribunal correctionnel de Lille",
                    judged_on=judged,
                    offence=case.offence if rank == 1 else "Vol simple",
                )
            )
        if case.pre_trial:
            days = rng.randint(*case.pre_trial)
            end = definitive - timedelta(days=rng.randint(30, 200))
            custody.append(
                PriorCustody(
                    ecrou=ecrou,
                    kind=CustodyKind.DETENTION_PROVISOIRE,
                    start=end - timedelta(days=days),
                    end=end,
                    note="Détention provisoire, remise en liberté sous contrôle judiciaire",
                )
            )
        served = (today - start).days
        if case.reductions and served > 400:
            if case.before_2023:
                # The former regime's credit is automatic; a withdrawal is a decision.
                reductions.append(
                    ReductionDecision(
                        ecrou=ecrou,
                        kind=ReductionKind.RETRAIT_CRP,
                        granted_on=start + timedelta(days=200),
                        months=1,
                        note="Retrait de crédit après incident disciplinaire",
                    )
                )
                if rng.random() < 0.5:
                    reductions.append(
                        ReductionDecision(
                            ecrou=ecrou,
                            kind=ReductionKind.RSP,
                            granted_on=start + timedelta(days=380),
                            months=2,
                            note="Efforts sérieux de réadaptation (formation)",
                        )
                    )
            else:
                reductions.append(
                    ReductionDecision(
                        ecrou=ecrou,
                        kind=ReductionKind.RP,
                        granted_on=start + timedelta(days=365),
                        months=3,
                        note="Bonne conduite, travail en atelier",
                    )
                )
                reductions.append(
                    ReductionDecision(
                        ecrou=ecrou,
                        kind=ReductionKind.RP,
                        granted_on=start + timedelta(days=395),
                        days=20,
                        withdrawn=True,
                        note="Retrait après incident en détention",
                    )
                )
        if case.violence:
            sanctions.append(
                DisciplinarySanction(
                    ecrou=ecrou,
                    on=start + timedelta(days=rng.randint(20, 80)),
                    violence=True,
                    description="Coups portés à un surveillant lors d'une fouille",
                )
            )
    SentenceLine.objects.bulk_create(lines, batch_size=500)
    PriorCustody.objects.bulk_create(custody)
    ReductionDecision.objects.bulk_create(reductions)
    DisciplinarySanction.objects.bulk_create(sanctions)
    return Seeded(
        [
            Detainee(p, case, ecrou, release)
            for p, ecrou, (case, _start, release) in zip(people, ecrous, plans, strict=True)
        ]
    )
