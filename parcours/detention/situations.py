"""The computed sentence situation of an écrou: the adapter from the detention record to the
engine's `SentenceCase` (rules.sentences), and `refresh`, which writes the `SentenceSituation`
rows whose input changed.

Conventions:
- `as_of` is the local date of the person's SPIP (R-DATES-LOCAL) unless `today` is given.
- The fingerprint is the SHA-256 of the case *without* its `as_of`, with the reduction decisions
  and sanctions dated after `as_of` left out (the engine reads nothing else from `as_of`:
  "eligibility as of a date with the reductions granted by then"), plus a digest of the engine's
  source file. So a night with nothing new writes nothing, a change of the engine recomputes
  every row once, and `as_of` on a row is the day its current answer was first computed.
- An `InputError` or `NotImplementedError` of the engine is stored in `error` (French, the
  field named in words: "Réductions de peine : …", never "reductions : …"), never raised: a
  record being entered is often incomplete (no sentence yet).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parcours.core import bulk
from parcours.rules import sentences, sentences_json
from parcours.rules.agenda import subdivision_for
from parcours.rules.dates import local_date
from parcours.rules.sentences import (
    Duration,
    InputError,
    Reduction,
    Sentence,
    SentenceCase,
    SentenceDates,
)
from parcours.rules.sentences_json import dates_to_json, error_words

from .models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    SentenceSituation,
)

logger = logging.getLogger(__name__)

CHUNK_ECROUS = 5_000
DEFAULT_ZONE = "Europe/Paris"
ENGINE_MISSING = "Le calcul des dates n'est pas encore disponible (moteur en cours de réalisation)."
NO_SENTENCE = "Aucune peine saisie sur l'écrou : pas de date à calculer."
VALUE_FIELDS = (
    "as_of",
    "computed_at",
    "fingerprint",
    "regime",
    "release_date",
    "lc_from",
    "lc_parental_from",
    "examination_on",
    "lsc_on",
    "lsc_applies",
    "one_year_on",
    "six_months_on",
    "result",
    "error",
)


def _engine_digest() -> str:
    """The digest of the engine's source and of its JSON form (what `result` holds)."""
    digest = hashlib.sha256()
    for module in (sentences, sentences_json):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # pragma: no cover - a zipped install
            digest.update(module.__name__.encode())
    return digest.hexdigest()


ENGINE_DIGEST = _engine_digest()


def _duration(years: int, months: int, days: int) -> Duration | None:
    if not (years or months or days):
        return None
    return Duration(years=years, months=months, days=days)


# The columns read for the engine (tuples, not model instances: the nightly reads 85,000 écrous).
ECROU_COLUMNS = (
    "pk",
    "person_id",
    "start",
    "parent_enfant_moins_10",
    "hebergement",
    "person__birth_date",
    "person__spip__code",
    "person__spip__timezone",
)
LINE_COLUMNS = (
    "ecrou_id",
    "years",
    "months",
    "days",
    "definitive_on",
    "nature",
    "recidive",
    "flags",
    "surete_years",
    "surete_months",
    "surete_days",
)
REDUCTION_COLUMNS = ("ecrou_id", "granted_on", "days", "months", "withdrawn", "kind")


def _sentence(row: tuple[Any, ...]) -> Sentence:
    _, years, months, days, definitive_on, nature, recidive, flags, s_y, s_m, s_d = row
    return Sentence(
        length=Duration(years=years, months=months, days=days),
        definitive_on=definitive_on,
        nature="crime" if nature == "crime" else "delit",
        recidive=recidive,
        flags=frozenset(flags or ()),
        surete=_duration(s_y, s_m, s_d),
    )


def _reduction(row: tuple[Any, ...]) -> Reduction:
    _, granted_on, days, months, withdrawn, kind = row
    return Reduction(
        granted_on=granted_on, days=days, months=months, withdrawn=withdrawn, kind=kind
    )


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped


def _cases(where: Q, as_of_for: Any) -> list[tuple[int, int, SentenceCase]]:
    """(écrou id, person id, case) of the écrous matching `where`, in five queries of tuples;
    `as_of_for(time_zone)` gives each écrou's date."""
    ecrous = list(Ecrou.objects.filter(where).order_by().values_list(*ECROU_COLUMNS))
    ids = [row[0] for row in ecrous]
    lines = _grouped(
        SentenceLine.objects.filter(ecrou_id__in=ids)
        .order_by("ecrou_id", "rank", "pk")
        .values_list(*LINE_COLUMNS)
    )
    decisions = _grouped(
        ReductionDecision.objects.filter(ecrou_id__in=ids)
        .order_by("ecrou_id", "granted_on", "pk")
        .values_list(*REDUCTION_COLUMNS)
    )
    custody: dict[int, int] = {}
    for ecrou_id, start, end in (
        PriorCustody.objects.filter(ecrou_id__in=ids)
        .order_by()
        .values_list("ecrou_id", "start", "end")
    ):
        custody[ecrou_id] = custody.get(ecrou_id, 0) + (end - start).days
    violence = _grouped(
        DisciplinarySanction.objects.filter(ecrou_id__in=ids, violence=True)
        .order_by()
        .values_list("ecrou_id", "on")
    )
    cases = []
    for pk, person_id, start, parent, housing, birth_date, code, zone in ecrous:
        as_of = as_of_for(zone or DEFAULT_ZONE)
        case = SentenceCase(
            birth_date=birth_date,
            ecrou_date=start,
            sentences=tuple(_sentence(row) for row in lines.get(pk, ())),
            pre_trial_days=custody.get(pk, 0),
            reductions=tuple(_reduction(row) for row in decisions.get(pk, ())),
            parent_enfant_moins_10=parent,
            sanction_disciplinaire_violence=any(on <= as_of for _, on in violence.get(pk, ())),
            hebergement=housing,
            as_of=as_of,
            subdivision=_subdivision(code, zone),
        )
        cases.append((pk, person_id, case))
    return cases


@lru_cache(maxsize=1024)
def _subdivision(code: str | None, zone: str | None) -> str | None:
    return subdivision_for(code, zone) if code is not None and zone else None


def case_for(ecrou: Ecrou, *, as_of: date) -> SentenceCase:
    """The engine's case of `ecrou` as of `as_of` (read afresh from the database)."""
    return _cases(Q(pk=ecrou.pk), lambda zone: as_of)[0][2]


def case_with_reduction(
    ecrou: Ecrou,
    *,
    replacing: int | None,
    kind: str,
    granted_on: date,
    months: int,
    days: int,
) -> SentenceCase:
    """The écrou's case (every decision, whatever its date) with a decision being recorded, or
    replacing the decision `replacing` being corrected: what the reduction ceiling reads."""
    others = ReductionDecision.objects.filter(ecrou=ecrou).order_by("granted_on", "pk")
    if replacing is not None:
        others = others.exclude(pk=replacing)
    new = (ecrou.pk, granted_on, days, months, False, kind)
    rows = [*others.values_list(*REDUCTION_COLUMNS), new]
    return replace(
        case_for(ecrou, as_of=granted_on),
        as_of=None,
        reductions=tuple(_reduction(row) for row in rows),
    )


def fingerprint(case: SentenceCase) -> str:
    """The digest of what the engine's answer depends on (see the module's conventions). The
    dataclasses' repr is deterministic once the flags (frozensets, whose order follows the
    per-process string hash) are sorted."""
    as_of = case.as_of
    stable = replace(
        case,
        as_of=None,
        sentences=tuple(
            replace(s, flags=tuple(sorted(s.flags)))  # type: ignore[arg-type]
            for s in case.sentences
        ),
        reductions=tuple(r for r in case.reductions if as_of is None or r.granted_on <= as_of),
    )
    return hashlib.sha256(f"{ENGINE_DIGEST}|{stable!r}".encode()).hexdigest()


def dates_json(dates: SentenceDates) -> dict[str, Any]:
    """The engine's answer as JSON (the `sentence_dates` command's output)."""
    return dates_to_json(dates)


def values_for(case: SentenceCase, now: datetime) -> dict[str, Any]:
    """The columns of a SentenceSituation for `case` (the engine's answer or its error)."""
    values: dict[str, Any] = {
        "as_of": case.as_of,
        "computed_at": now,
        "fingerprint": fingerprint(case),
        "regime": "",
        "release_date": None,
        "lc_from": None,
        "lc_parental_from": None,
        "examination_on": None,
        "lsc_on": None,
        "lsc_applies": False,
        "one_year_on": None,
        "six_months_on": None,
        "result": {},
        "error": "",
    }
    if not case.sentences:
        values["error"] = NO_SENTENCE
        return values
    try:
        dates = sentences.compute(case)
    except InputError as problem:
        values["error"] = error_words(problem)[:300]
        return values
    except NotImplementedError:
        values["error"] = ENGINE_MISSING
        return values
    values.update(
        regime=dates.regime,
        release_date=dates.release_date,
        lc_from=dates.lc_from,
        lc_parental_from=dates.lc_parental_from,
        examination_on=dates.examination.date if dates.examination else None,
        lsc_on=dates.lsc_de_plein_droit.date,
        lsc_applies=dates.lsc_de_plein_droit.applies,
        one_year_on=dates.thresholds.one_year,
        six_months_on=dates.thresholds.six_months,
        result=dates_json(dates),
    )
    return values


def _refresh_chunk(chunk: bulk.Chunk, today: date | None, open_only: bool) -> Counter[str]:
    now = timezone.now()
    where = chunk.of("pk")
    if open_only:
        where &= Q(released_on__isnull=True)
    zones: dict[str, date] = {}

    def as_of_for(zone: str) -> date:
        if today is not None:
            return today
        if zone not in zones:
            zones[zone] = local_date(now, zone)
        return zones[zone]

    cases = _cases(where, as_of_for)
    existing = {
        ecrou_id: (pk, fp)
        for pk, ecrou_id, fp in SentenceSituation.objects.filter(
            ecrou_id__in=[pk for pk, _, _ in cases]
        )
        .values_list("pk", "ecrou_id", "fingerprint")
        .order_by()
    }
    to_update: list[tuple[Any, ...]] = []
    to_create: list[tuple[Any, ...]] = []
    errors = 0
    for ecrou_id, person_id, case in cases:
        old = existing.get(ecrou_id)
        if old is not None and old[1] == fingerprint(case):
            continue
        values = values_for(case, now)
        errors += bool(values["error"])
        row = tuple(values[name] for name in VALUE_FIELDS)
        if old is None:
            to_create.append((ecrou_id, person_id, *row))
        else:
            to_update.append((old[0], *row))
    with transaction.atomic():
        bulk.update_rows(SentenceSituation, VALUE_FIELDS, to_update)
        bulk.insert_rows(SentenceSituation, ["ecrou_id", "person_id", *VALUE_FIELDS], to_create)
    return Counter(ecrous=len(cases), created=len(to_create), updated=len(to_update), errors=errors)


def refresh_counts(
    ecrou_ids: Iterable[int] | None = None,
    *,
    today: date | None = None,
    spip_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """`refresh` with its counts: écrous read, situations created / updated, of which with an
    error, and the seconds taken."""
    started = time.monotonic()
    within = {"person__spip_id__in": sorted(set(spip_ids))} if spip_ids is not None else None
    ids = list(ecrou_ids) if ecrou_ids is not None else None
    totals = bulk.run_in_chunks(
        lambda chunk: _refresh_chunk(chunk, today, open_only=ids is None),
        Ecrou,
        ids,
        CHUNK_ECROUS,
        within,
    )
    return {
        **{key: totals[key] for key in ("ecrous", "created", "updated", "errors")},
        "written": totals["created"] + totals["updated"],
        "seconds": round(time.monotonic() - started, 3),
    }


def refresh(
    ecrou_ids: Iterable[int] | None = None,
    *,
    today: date | None = None,
    spip_ids: Iterable[int] | None = None,
) -> int:
    """Writes the SentenceSituation of the given écrous (any, released or not) or, with None,
    of every écrou still open (in chunks; of the people of `spip_ids` only when given: the
    nightly run of one time zone), only where the fingerprint changed. Returns the number of
    rows written. The engine's errors are stored, never raised."""
    return int(refresh_counts(ecrou_ids, today=today, spip_ids=spip_ids)["written"])


def refresh_on_commit(ecrou_id: int) -> None:
    """After the caller's transaction commits, recompute the écrou's situation (a failure is
    logged: the nightly run catches up)."""

    def run() -> None:
        try:
            refresh([ecrou_id])
        except Exception:  # the write is committed; the night recomputes
            logger.exception("Situation pénale de l'écrou %s non recalculée", ecrou_id)

    transaction.on_commit(run)
