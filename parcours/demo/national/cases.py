"""The people of the national dataset (60–90 per CPIP), their measures (drawn as the demo's,
measures.demo.draw_measure), assignments, addresses and the obligations of the probation
measures in progress."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from parcours.catalog.models import MeasureType
from parcours.measures.demo import draw_measure, milieu, pick
from parcours.measures.models import Measure, MeasureStatus
from parcours.obligations.models import Obligation, ObligationType
from parcours.people.models import Address, Assignment, Housing, Person, Sex, search_key

from .state import PersonRow, Pools, Run

CASELOAD = (60, 90)
# Share of the post-release measures in progress whose release is recent (first convocation due).
RECENT_RELEASES = 0.3
# (obligation type code, weight) of the obligations on probation measures.
OBLIGATION_MIX: list[tuple[str, int]] = [
    ("cp_132_45_1", 30),
    ("cp_132_45_3", 30),
    ("cp_132_45_11", 8),
    ("cp_132_45_14", 10),
    ("cp_132_45_20", 8),
    ("cp_132_44_2", 14),
]
HOUSING = [Housing.PERSONNEL] * 5 + [Housing.HEBERGE_TIERS] * 2
HOUSING += [Housing.HEBERGEMENT_SOCIAL, Housing.SANS_DOMICILE, Housing.INCONNU]

PERSON_FIELDS = (
    "id public_id spip_id antenna_id referent_id last_name birth_name first_names aliases "
    "birth_date birth_place birth_country sex nationality languages phone email no_phone "
    "refuses_sms housing appi_number search_name version created_at updated_at"
)
MEASURE_FIELDS = (
    "id public_id person_id measure_type_id tribunal_id judgment_date start_date end_date "
    "release_date file_received_on probation_months milieu status version created_at updated_at"
)
OBLIGATION_FIELDS = (
    "id public_id measure_id obligation_type_id parameters start_date proof_type "
    "cadence_months imposed_on created_by_id version created_at updated_at"
)


@dataclass(frozen=True)
class ProbationFact:
    """A probation measure in progress: obligations are drawn for it."""

    measure_id: int
    person: PersonRow
    start: date


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


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def born(
    rng: random.Random, pools: Pools, today: date, sex: str, *, ages: tuple[int, int], local: float
) -> tuple[Any, ...]:
    """The columns birth_date to languages of a person row, drawn: aged `ages[0]` to `ages[1]`
    years, born in France and French for a `local` share of the people."""
    return (
        today - timedelta(days=rng.randint(ages[0] * 366, ages[1] * 365)),
        rng.choice(pools.cities),
        "France" if rng.random() < local else rng.choice(pools.countries),
        sex,
        "Française" if rng.random() < local else "Marocaine",
        "français",
    )


def _people(run: Run, total: int) -> Iterator[tuple[Any, ...]]:
    """The people, CPIP after CPIP; each is also kept in run.people for the later tables."""
    rng, pools, today, now = run.rng, run.pools, run.today, run.now
    cpips = [(info, c) for info in run.spips for c in info.cpips]
    loads = caseloads(total, len(cpips), rng)
    pid = run.loader.writer.next_id(Person)
    for (info, cpip), load in zip(cpips, loads, strict=True):
        for _ in range(load):
            sex = rng.choice([Sex.MASCULIN] * 7 + [Sex.FEMININ] * 2 + [Sex.NON_PRECISE])
            first = rng.choice(pools.female if sex == Sex.FEMININ else pools.male)
            if rng.random() < 0.4:
                first = f"{first} {rng.choice(pools.male + pools.female)}"
            last = rng.choice(pools.last)
            birth_name = rng.choice(pools.last) if sex == Sex.FEMININ and rng.random() < 0.3 else ""
            no_phone = rng.random() < 0.06
            public_id = _uuid(rng)
            run.people.append(
                PersonRow(pid, public_id, info.org.pk, cpip.pk, cpip.organisation_id or 0, info.tz)
            )
            yield (
                pid,
                public_id,
                info.org.pk,
                cpip.organisation_id,
                cpip.pk,
                last,
                birth_name,
                first,
                "",
                *born(rng, pools, today, sex, ages=(16, 70), local=0.85),
                "" if no_phone else f"+336{rng.randint(10000000, 89999999)}",
                rng.choice(pools.emails) if rng.random() < 0.4 else "",
                no_phone,
                rng.random() < 0.03,
                rng.choice(HOUSING),
                f"{rng.randint(2015, today.year)}{pid:08d}"[:12],
                search_key(last, first, birth_name),
                1,
                now,
                now,
            )
            pid += 1


def _measures(run: Run, facts: list[ProbationFact]) -> Iterator[tuple[Any, ...]]:
    """One measure per person, two for one in five; the probation measures in progress go to
    `facts`."""
    rng, now = run.rng, run.now
    tribunals = {info.org.pk: info.tribunals for info in run.spips}
    types = {t.code: t for t in MeasureType.objects.current()}
    mid = run.loader.writer.next_id(Measure)
    for person in run.people:
        for _ in range(1 if rng.random() < 0.8 else 2):
            draw = draw_measure(rng, types, run.today, RECENT_RELEASES)
            person.measure_ids.append(mid)
            if draw.status == MeasureStatus.EN_COURS and draw.measure_type.has_probation_period:
                facts.append(ProbationFact(mid, person, draw.start_date))
            yield (
                mid,
                _uuid(rng),
                person.id,
                draw.measure_type.pk,
                rng.choice(tribunals[person.spip_id]).pk,
                draw.judgment_date,
                draw.start_date,
                draw.end_date,
                draw.release_date,
                draw.file_received_on,
                draw.probation_months,
                milieu(rng, draw.measure_type),
                draw.status,
                1,
                now,
                now,
            )
            mid += 1


def _assignments(run: Run) -> Iterator[tuple[Any, ...]]:
    for person in run.people:
        started = run.now - timedelta(days=run.rng.randint(1, 400))
        yield (person.id, person.referent_id, started, "Prise en charge initiale")


def _addresses(run: Run) -> Iterator[tuple[Any, ...]]:
    rng, pools = run.rng, run.pools
    spip_prefix = {info.org.pk: info.postal_prefix for info in run.spips}
    for person in run.people:
        yield (
            person.id,
            rng.choice(pools.streets),
            spip_prefix[person.spip_id][:3] + f"{rng.randint(0, 99):02d}",
            rng.choice(pools.cities),
            run.today - timedelta(days=rng.randint(30, 2000)),
            run.now,
        )


def _parameters(code: str, rng: random.Random, run: Run) -> dict[str, str]:
    city = rng.choice(run.pools.cities)
    if code == "cp_132_45_1":
        return {"organisme": rng.choice(run.pools.companies)}
    if code == "cp_132_45_3":
        return {"nature": "suivi addictologique", "structure": f"CSAPA {city}"}
    if code == "cp_132_45_20":
        return {"programme": "stage de responsabilisation", "structure": city}
    return {}


def _obligations(run: Run, facts: list[ProbationFact]) -> Iterator[tuple[Any, ...]]:
    """One to three obligations on most probation measures in progress."""
    rng, now = run.rng, run.now
    types = {t.code: t for t in ObligationType.objects.current()}
    for fact in facts:
        if rng.random() < 0.15:
            continue
        chosen = {pick(rng, OBLIGATION_MIX) for _ in range(rng.choice([1, 2, 2, 3]))}
        for code in sorted(chosen):
            kind = types[code]
            parameters = _parameters(code, rng, run)
            start = fact.start or run.today
            yield (
                _uuid(rng),
                fact.measure_id,
                kind.pk,
                parameters,
                start,
                kind.default_proof_type,
                kind.default_cadence_months,
                start,
                fact.person.referent_id,
                1,
                now,
                now,
            )


def load_cases(run: Run, total: int) -> None:
    """People, measures, assignments, addresses and obligations, in this order."""
    load = run.loader.load
    numbered = partial(load, numbered=True)  # the rows come without their ids
    load("people", "personnes", Person, PERSON_FIELDS, _people(run, total))
    facts: list[ProbationFact] = []
    load("measures", "mesures", Measure, MEASURE_FIELDS, _measures(run, facts))
    numbered(
        "assignments",
        "affectations",
        Assignment,
        "id person_id cpip_id started_at reason",
        _assignments(run),
    )
    numbered(
        "addresses",
        "adresses",
        Address,
        "id person_id line postal_code city since created_at",
        _addresses(run),
    )
    numbered("obligations", "obligations", Obligation, OBLIGATION_FIELDS, _obligations(run, facts))
