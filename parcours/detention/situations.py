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
- An `InputError` or `NotImplementedError` of the engine is stored in `error` (French), never
  raised: a record being entered is often incomplete (no sentence yet).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
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
from parcours.rules.sentences_json import dates_to_json

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


def _sentence(line: SentenceLine) -> Sentence:
    return Sentence(
        length=Duration(years=line.years, months=line.months, days=line.days),
        definitive_on=line.definitive_on,
        nature="crime" if line.nature == "crime" else "delit",
        recidive=line.recidive,
        flags=frozenset(line.flags or ()),
        surete=_duration(line.surete_years, line.surete_months, line.surete_days),
    )


def _reduction(decision: ReductionDecision) -> Reduction:
    kind: Any = decision.kind
    return Reduction(
        granted_on=decision.granted_on,
        days=decision.days,
        months=decision.months,
        withdrawn=decision.withdrawn,
        kind=kind,
    )


def case_for(ecrou: Ecrou, *, as_of: date) -> SentenceCase:
    """The engine's case of `ecrou` as of `as_of`. Reads `ecrou.person` (+ its SPIP) and the
    related sets `sentences`, `prior_custody`, `reductions`, `sanctions`: prefetch them for
    many écrous (`refresh` does)."""
    person = ecrou.person
    spip = person.spip
    lines = sorted(ecrou.sentences.all(), key=lambda s: (s.rank, s.pk))
    custody: Iterable[PriorCustody] = ecrou.prior_custody.all()
    decisions: Iterable[ReductionDecision] = ecrou.reductions.all()
    sanctions: Iterable[DisciplinarySanction] = ecrou.sanctions.all()
    return SentenceCase(
        birth_date=person.birth_date,
        ecrou_date=ecrou.start,
        sentences=tuple(_sentence(line) for line in lines),
        pre_trial_days=sum(c.days for c in custody),
        reductions=tuple(
            _reduction(d) for d in sorted(decisions, key=lambda d: (d.granted_on, d.pk))
        ),
        parent_enfant_moins_10=ecrou.parent_enfant_moins_10,
        sanction_disciplinaire_violence=any(s.violence and s.on <= as_of for s in sanctions),
        hebergement=ecrou.hebergement,
        as_of=as_of,
        subdivision=subdivision_for(spip.code, spip.timezone) if spip else None,
    )


def fingerprint(case: SentenceCase) -> str:
    """The digest of what the engine's answer depends on (see the module's conventions)."""
    as_of = case.as_of
    stable = replace(
        case,
        as_of=None,
        reductions=tuple(r for r in case.reductions if as_of is None or r.granted_on <= as_of),
    )
    payload = json.dumps([ENGINE_DIGEST, _canonical(stable)], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    """A JSON-able form independent of the process (frozensets sorted: their iteration order
    follows the per-process string hash)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (frozenset, set)):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


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
        values["error"] = str(problem)[:300]
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


def _ecrous(where: Q) -> list[Ecrou]:
    """The écrous matching `where` with everything `case_for` reads: six queries."""
    return list(
        Ecrou.objects.filter(where)
        .select_related("person", "person__spip")
        .prefetch_related(
            Prefetch("sentences", queryset=SentenceLine.objects.order_by("rank", "pk")),
            "prior_custody",
            "reductions",
            "sanctions",
        )
        .order_by()
    )


def _refresh_chunk(chunk: bulk.Chunk, today: date | None, open_only: bool) -> Counter[str]:
    now = timezone.now()
    where = chunk.of("pk")
    if open_only:
        where &= Q(released_on__isnull=True)
    ecrous = _ecrous(where)
    existing = {
        ecrou_id: (pk, fp)
        for pk, ecrou_id, fp in SentenceSituation.objects.filter(
            ecrou_id__in=[e.pk for e in ecrous]
        )
        .values_list("pk", "ecrou_id", "fingerprint")
        .order_by()
    }
    zones: dict[str, date] = {}
    to_update: list[tuple[Any, ...]] = []
    to_create: list[tuple[Any, ...]] = []
    errors = 0
    for ecrou in ecrous:
        zone = ecrou.person.spip.timezone if ecrou.person.spip else "Europe/Paris"
        as_of = today if today is not None else zones.setdefault(zone, local_date(now, zone))
        case = case_for(ecrou, as_of=as_of)
        old = existing.get(ecrou.pk)
        if old is not None and old[1] == fingerprint(case):
            continue
        values = values_for(case, now)
        errors += bool(values["error"])
        row = tuple(values[name] for name in VALUE_FIELDS)
        if old is None:
            to_create.append((ecrou.pk, ecrou.person_id, *row))
        else:
            to_update.append((old[0], *row))
    with transaction.atomic():
        bulk.update_rows(SentenceSituation, VALUE_FIELDS, to_update)
        bulk.insert_rows(SentenceSituation, ["ecrou_id", "person_id", *VALUE_FIELDS], to_create)
    return Counter(
        ecrous=len(ecrous), created=len(to_create), updated=len(to_update), errors=errors
    )


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
