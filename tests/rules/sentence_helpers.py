"""Builders of sentence cases for the engine's tests (parcours.rules.sentences)."""

from __future__ import annotations

from datetime import date
from typing import Any

from parcours.rules.sentences import (
    Duration,
    Nature,
    Reduction,
    ReductionKind,
    Sentence,
    SentenceCase,
)

BIRTH = date(1985, 4, 12)


def sentence(
    years: int = 0,
    months: int = 0,
    days: int = 0,
    *,
    nature: Nature = "delit",
    recidive: bool = False,
    flags: tuple[str, ...] = (),
    surete: Duration | None = None,
) -> Sentence:
    return Sentence(
        length=Duration(years, months, days),
        nature=nature,
        recidive=recidive,
        flags=frozenset(flags),
        surete=surete,
    )


def reduction(
    granted_on: date,
    *,
    months: int = 0,
    days: int = 0,
    withdrawn: bool = False,
    kind: ReductionKind = "rp",
) -> Reduction:
    return Reduction(
        granted_on=granted_on, months=months, days=days, withdrawn=withdrawn, kind=kind
    )


def case(*sentences: Sentence, ecrou: date = date(2024, 3, 15), **fields: Any) -> SentenceCase:
    fields.setdefault("birth_date", BIRTH)
    fields.setdefault("hebergement", True)
    return SentenceCase(ecrou_date=ecrou, sentences=tuple(sentences), **fields)
