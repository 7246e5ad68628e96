"""Sentence dates of a detainee (milieu fermé), pure functions (docs/legal-sources.md, R-SENT-*).

The engine's contract: a `SentenceCase` (the écrou, the sentences executed one after the other,
custody to deduct, reduction decisions, the facts the conditions read) goes in, `SentenceDates`
comes out, with each step of the computation and its article in `explanation`. Eligibility is
computed "as of" a date with the reductions granted by then. `python manage.py sentence_dates`
reads and writes the JSON form (`case_from_json`, `dates_to_json`).

Conventions the texts leave open are named constants (see CONVENTIONS) and written down in
docs/legal-sources.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Nature = Literal["crime", "delit"]
ReductionKind = Literal["rp", "rsp", "retrait_crp"]
Regime = Literal["2023", "avant-2023"]

# The sentence's flags the conditions read (the JSON contract's `flags`).
FLAGS = frozenset(
    {
        "terrorisme",
        "violences_conjugales",
        "victime_pdap",
        "victime_mineur_15",
        "ssj_encouru",
    }
)


class InputError(ValueError):
    """A malformed case: `field` names the JSON path (e.g. "sentences[0].years"), the message is
    French."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} : {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class Sentence:
    length: Duration
    definitive_on: date | None = None
    nature: Nature = "delit"
    recidive: bool = False
    flags: frozenset[str] = frozenset()
    surete: Duration | None = None  # période de sûreté, when pronounced or de plein droit


@dataclass(frozen=True)
class Reduction:
    granted_on: date
    days: int = 0
    months: int = 0
    withdrawn: bool = False
    kind: ReductionKind = "rp"


@dataclass(frozen=True)
class SentenceCase:
    birth_date: date
    ecrou_date: date  # first day of the current uninterrupted custody
    sentences: tuple[Sentence, ...]
    pre_trial_days: int = 0  # custody to deduct served outside the current écrou
    reductions: tuple[Reduction, ...] = ()
    parent_enfant_moins_10: bool = False
    sanction_disciplinaire_violence: bool = False
    hebergement: bool = False
    as_of: date | None = None  # None: every reduction counts, whatever its date
    subdivision: str | None = None  # holidays' subdivision (rules.dates), e.g. "57"


@dataclass(frozen=True)
class Step:
    text: str  # French, for the "Pourquoi ?" of the screens
    article: str  # "CPP art. 716-4"


@dataclass(frozen=True)
class Examination:
    basis: Literal["720", "730-3"]
    date: date


@dataclass(frozen=True)
class PleinDroit:
    applies: bool
    date: date | None
    excluded_by: tuple[str, ...] = ()  # French reasons, each citing its article


@dataclass(frozen=True)
class Thresholds:
    one_year: date | None  # first day on which at most one year remains to be served
    six_months: date | None


@dataclass(frozen=True)
class SentenceDates:
    regime: Regime
    end_exclusive: date  # the day the sentence is fully served, at 00:00
    end_inclusive: date  # last day in custody
    release_date: date  # CPP art. 716-3 applied
    lc_from: date | None
    lc_parental_from: date | None
    examination: Examination | None
    lsc_de_plein_droit: PleinDroit
    thresholds: Thresholds
    explanation: tuple[Step, ...] = field(default=())


def compute(case: SentenceCase) -> SentenceDates:
    """The dates of `case` (to be built: issue 15)."""
    raise NotImplementedError
