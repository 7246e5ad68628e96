"""Demo measures: one or two per person, drawn from a realistic mix of types and statuses (the
national benchmark dataset draws its measures the same way, `draw_measure`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from parcours.accounts.models import Organisation
from parcours.catalog.models import MeasureType, Milieu
from parcours.people.models import IncarcerationPeriod, Person
from parcours.rules.measures import add_months

from .models import Measure, MeasureEvaluation, MeasureStatus

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
# Share of the post-release measures in progress whose release is recent (first convocation due).
DEMO_RECENT_RELEASES = 0.5


def pick(rng: random.Random, mix: Sequence[tuple[str, int]]) -> str:
    """One key of a weighted mix."""
    return rng.choices([k for k, _ in mix], weights=[w for _, w in mix], k=1)[0]


@dataclass(frozen=True)
class MeasureDraw:
    """The type, status and dates of a synthetic measure (named as the Measure's fields)."""

    measure_type: MeasureType
    status: str
    judgment_date: date
    start_date: date
    end_date: date
    probation_months: int | None
    release_date: date | None
    file_received_on: date | None

    def fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def draw_measure(
    rng: random.Random, types: dict[str, MeasureType], today: date, recent_releases: float
) -> MeasureDraw:
    """A measure's type, status and dates: a file awaiting its aménagement (CPP 723-15) carries
    the day it was received, a share `recent_releases` of the post-release measures in progress
    a recent release (CPP 741-1), a finished measure ends before today."""
    code = pick(rng, MEASURE_MIX)
    mtype = types[code]
    status = pick(rng, STATUS_MIX)
    judgment = today - timedelta(days=rng.randint(20, 900))
    start = judgment + timedelta(days=rng.randint(0, 60))
    months = rng.choice([12, 18, 24, 24, 36]) if mtype.has_probation_period else None
    duration = months or rng.choice([6, 12, 18])
    release = received = None
    if status == MeasureStatus.A_VENIR:
        judgment = today - timedelta(days=rng.randint(5, 40))
        start = today + timedelta(days=rng.randint(5, 60))
        if code not in POST_RELEASE_TYPES:
            received = judgment + timedelta(days=rng.randint(0, 4))
    elif (
        code in POST_RELEASE_TYPES
        and status in (MeasureStatus.EN_COURS, MeasureStatus.SUSPENDUE)
        and rng.random() < recent_releases
    ):
        release = max(judgment, today - timedelta(days=rng.randint(0, 45)))
        start = release
    end = add_months(start, duration)
    if status == MeasureStatus.TERMINEE and end > today:
        end = today - timedelta(days=rng.randint(1, 200))
        start = min(start, end - timedelta(days=30))
        judgment = min(judgment, start)
    return MeasureDraw(mtype, status, judgment, start, end, months, release, received)


def milieu(rng: random.Random, measure_type: MeasureType) -> str:
    """The type's milieu, now and then a measure followed in prison."""
    return measure_type.default_milieu if rng.random() < 0.95 else Milieu.FERME


def create_measures(
    people: Sequence[Person], orgs: dict[str, Organisation], seed: int
) -> list[Measure]:
    """One measure per person, two for one in five, judged by a tribunal of their SPIP."""
    rng = random.Random(seed + 3)
    today = timezone.localdate()
    types = {t.code: t for t in MeasureType.objects.current()}
    tribunals = {
        orgs["spip59"].pk: [orgs["tj-lille"], orgs["tj-douai"]],
        orgs["spip974"].pk: [orgs["tj-st-denis"]],
    }
    measures: list[Measure] = []
    for person in people:
        for _ in range(1 if rng.random() < 0.8 else 2):
            draw = draw_measure(rng, types, today, DEMO_RECENT_RELEASES)
            tribunal = rng.choice(tribunals[person.spip_id])
            where = milieu(rng, draw.measure_type)
            measures.append(
                Measure(person=person, tribunal=tribunal, milieu=where, **draw.fields())
            )
    Measure.objects.bulk_create(measures, batch_size=500)
    return measures


def create_timeline_cases(people: Sequence[Person], cpip: Any) -> list[Measure]:
    """The cases of issue 13 on the main CPIP's first people, each with its own measure:

    - a sursis probatoire interrupted by an incarceration (its planned end moves, CP 132-43);
    - two peines mixtes released (CPP 741-1): SSJ incurred, first convocation within 8 days of a
      release due next week; no SSJ offence, within 1 month of a release 10 days ago;
    - a sursis probatoire renforcé whose obligations the JAP set by ordinance (CPP 741-2 al. 2),
      with a yearly re-evaluation recorded (the next one rolls from it);
    - a TIG whose delay the court set at 12 months (CP 131-22).
    """
    mine = [p for p in people if p.referent_id == getattr(cpip, "pk", None)][:5]
    if len(mine) < 5:
        return []
    today = timezone.localdate()
    types = {t.code: t for t in MeasureType.objects.current()}
    d = timedelta

    def measure(person: Person, code: str, judgment: date, **values: Any) -> Measure:
        return Measure(
            person=person,
            measure_type=types[code],
            judgment_date=judgment,
            status=MeasureStatus.EN_COURS,
            created_by=cpip,
            **values,
        )

    incarcerated, ssj, plain, spr, tig = mine
    judged = today - d(days=420)
    made = [
        measure(
            incarcerated,
            "sursis_probatoire",
            judged,
            executoire_on=judged + d(days=10),
            probation_months=24,
            convict_present_at_hearing=True,
        ),
        measure(
            ssj,
            "sursis_probatoire",
            today - d(days=300),
            prison_ferme_months=8,
            detained_at_judgment=True,
            release_date=today + d(days=6),
            probation_months=24,
            ssj_encouru=True,
        ),
        measure(
            plain,
            "sursis_probatoire",
            today - d(days=250),
            prison_ferme_months=6,
            detained_at_judgment=True,
            release_date=today - d(days=10),
            start_date=today - d(days=10),
            probation_months=18,
        ),
        measure(
            spr,
            "sursis_probatoire_renforce",
            today - d(days=500),
            executoire_on=today - d(days=490),
            probation_months=36,
            convict_present_at_hearing=True,
            court_set_obligations=False,
            jap_ordinance_on=today - d(days=420),
        ),
        measure(
            tig,
            "tig",
            today - d(days=120),
            executoire_on=today - d(days=110),
            tig_delay_months=12,
        ),
    ]
    Measure.objects.bulk_create(made)
    IncarcerationPeriod.objects.create(
        person=incarcerated,
        start=judged + d(days=120),
        end=judged + d(days=200),
        establishment="Centre pénitentiaire de Lille-Annœullin",
        source="fiche pénale",
        created_by=cpip,
    )
    MeasureEvaluation.objects.create(
        measure=made[3],
        done_on=today - d(days=130),
        source="réévaluation annuelle (entretien et rapport)",
        created_by=cpip,
    )
    return made
