"""Manquements (breaches recorded by the CPIP): the graduated response, as data (R-BREACHES).

A breach of an obligation can lead the JAP to recall the obligations, modify them, prolong the
probation or revoke the measure (CP art. 132-47 al. 2; CPP art. 742); a new offence can lead the
court to revoke it (CP art. 132-48). The SPIP's response is proposed here, the CPIP decides.

The response is one table (`RESPONSE_TABLE`), read from top to bottom, the first row that
matches wins. Each row names its line of docs/legal-sources.md (`key`), what it matches (a breach
kind, the obligation breached, a breach marked serious, or a number of breaches), the step
proposed, the articles, and whether it is the law's reading or the service's local practice
(`practice`). Rows:

- a new offence reported during the measure (kind « infraction »), a contact with a person the
  convict must not meet (the victim… CP art. 132-45 13°), a breach of the anti-approach device
  (132-45 18° bis, 132-45-1), appearing at the couple's home the convict must leave (132-45 18°)
  → incident report to the JAP at once, whatever the count;
- a breach marked serious → incident report;
- otherwise the number of breaches of the same measure in a rolling window: 3 or more →
  incident report, 2 → convocation, 1 → rappel des obligations (local practice).

Counting is per measure (`measure=`): breaches of the person's other measures, current or
closed, do not count. Without `measure` (the legacy call) all the facts given count. A proposal
carries the row applied (`rule_key`) and why, in French (`rule`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_DAYS = 365
STEP_THRESHOLDS = {"rappel": 1, "convocation": 2, "rapport_incident": 3}
STEP_LABELS = {
    "rappel": "Rappel des obligations",
    "convocation": "Convocation au SPIP",
    "rapport_incident": "Rapport d'incident au JAP",
}
LOCAL_PRACTICE = "pratique du service (à confirmer)"
STEP_ARTICLES = {
    "rappel": LOCAL_PRACTICE,
    "convocation": LOCAL_PRACTICE,
    "rapport_incident": "CP art. 132-47 ; CPP art. 742",
}

# Breach kinds (the apps' BreachKind values) and obligation codes (catalogue) the rules name.
KIND_NEW_OFFENCE = "infraction"
OBLIGATION_NO_CONTACT = "cp_132_45_13"
OBLIGATION_COUPLE_HOME = "cp_132_45_18"
OBLIGATION_ANTI_APPROACH = "cp_132_45_18_bis"


@dataclass(frozen=True)
class BreachFact:
    occurred_on: date
    serious: bool = False
    kind: str = ""  # e.g. "infraction", "interdiction", "absence"
    obligation: str = ""  # obligation type code breached, e.g. "cp_132_45_13"
    measure: Hashable = None  # the measure it belongs to (any key)


@dataclass(frozen=True)
class ResponseRule:
    """One row of the graduated response. A breach matches when every criterion set matches
    (`kind`, `obligation`, `serious`); a count row (`min_count` > 0) matches the number of
    breaches in the window instead."""

    key: str  # the row of docs/legal-sources.md
    step: str
    article: str
    reason: str  # French, shown to the CPIP: why this row applies
    practice: bool = False  # local practice (to confirm), not a reading of the law
    immediate: bool = False  # proposed at once, whatever the count
    kind: str = ""
    obligation: str = ""
    serious: bool = False
    min_count: int = 0

    def matches(self, breach: BreachFact) -> bool:
        if self.min_count:
            return False
        if self.kind and breach.kind != self.kind:
            return False
        if self.obligation and breach.obligation != self.obligation:
            return False
        return not (self.serious and not breach.serious)

    @property
    def source(self) -> str:
        return LOCAL_PRACTICE if self.practice else "lecture des articles"


RESPONSE_TABLE: tuple[ResponseRule, ...] = (
    ResponseRule(
        "R-BREACHES-NEW-OFFENCE",
        "rapport_incident",
        "CP art. 132-47 et 132-48 ; CPP art. 742",
        "nouvelle infraction signalée pendant la mesure",
        immediate=True,
        kind=KIND_NEW_OFFENCE,
    ),
    ResponseRule(
        "R-BREACHES-132-45-18-BIS",
        "rapport_incident",
        "CP art. 132-45 18° bis et 132-45-1 ; CPP art. 742",
        "violation du dispositif anti-rapprochement (interdiction de se rapprocher de la victime)",
        immediate=True,
        obligation=OBLIGATION_ANTI_APPROACH,
    ),
    ResponseRule(
        "R-BREACHES-132-45-13",
        "rapport_incident",
        "CP art. 132-45 13° ; CPP art. 742",
        "contact avec une personne que le condamné ne doit pas rencontrer (la victime…)",
        immediate=True,
        obligation=OBLIGATION_NO_CONTACT,
    ),
    ResponseRule(
        "R-BREACHES-132-45-18",
        "rapport_incident",
        "CP art. 132-45 18° ; CPP art. 742",
        "présence au domicile du couple ou de la victime que le condamné doit quitter",
        practice=True,
        immediate=True,
        obligation=OBLIGATION_COUPLE_HOME,
    ),
    ResponseRule(
        "R-BREACHES-SERIOUS",
        "rapport_incident",
        "CP art. 132-47 ; CPP art. 742",
        "manquement qualifié de grave par le CPIP",
        practice=True,
        serious=True,
    ),
    ResponseRule(
        "R-BREACHES-LADDER",
        "rapport_incident",
        "CP art. 132-47 ; CPP art. 742",
        "au moins 3 manquements de la mesure sur la période",
        practice=True,
        min_count=STEP_THRESHOLDS["rapport_incident"],
    ),
    ResponseRule(
        "R-BREACHES-LADDER",
        "convocation",
        LOCAL_PRACTICE,
        "2 manquements de la mesure sur la période",
        practice=True,
        min_count=STEP_THRESHOLDS["convocation"],
    ),
    ResponseRule(
        "R-BREACHES-LADDER",
        "rappel",
        LOCAL_PRACTICE,
        "un premier manquement de la mesure sur la période",
        practice=True,
        min_count=STEP_THRESHOLDS["rappel"],
    ),
)
# Views of the table kept for the callers of the first version.
IMMEDIATE_RULES = tuple(rule for rule in RESPONSE_TABLE if rule.immediate)
LADDER: tuple[tuple[int, str], ...] = tuple(
    (rule.min_count, rule.step) for rule in RESPONSE_TABLE if rule.min_count
)


@dataclass(frozen=True)
class Proposal:
    step: str
    label: str
    article: str
    count_in_window: int
    window_start: date
    explanation: str
    rule: str = ""  # the rule applied and why, in French
    rule_key: str = ""  # its row of docs/legal-sources.md
    practice: bool = False  # the row is local practice, not a reading of the law


def breaches_in_window(
    breaches: Iterable[BreachFact],
    today: date,
    window_days: int = WINDOW_DAYS,
    *,
    measure: Hashable = None,
) -> list[BreachFact]:
    """Breaches that occurred in the rolling window ending today (both ends included), of
    `measure` only when it is given."""
    start = today - timedelta(days=window_days)
    return [
        b
        for b in breaches
        if start <= b.occurred_on <= today and (measure is None or b.measure == measure)
    ]


def ladder_words(window_days: int = WINDOW_DAYS) -> str:
    """The count rows of the table, in French."""
    steps = ", ".join(
        f"{count}{' ou plus' if i == 0 else ''} → {STEP_LABELS[step].lower()}"
        for i, (count, step) in enumerate(LADDER)
    )
    return f"manquements de la mesure sur {window_days} jours glissants : {steps}"


def _plural(count: int) -> str:
    return f"{count} manquement{'s' if count > 1 else ''}"


def propose_next_step(
    breaches: Iterable[BreachFact],
    today: date,
    window_days: int = WINDOW_DAYS,
    *,
    measure: Hashable = None,
) -> Proposal | None:
    """The graduated response for the breaches in the window (of `measure` when given): the
    first row of RESPONSE_TABLE that matches; None when there is no breach."""
    recent = sorted(
        breaches_in_window(breaches, today, window_days, measure=measure),
        key=lambda b: b.occurred_on,
    )
    if not recent:
        return None
    count = len(recent)
    start = today - timedelta(days=window_days)
    for row in RESPONSE_TABLE:
        hit = next((b for b in recent if row.matches(b)), None)
        if row.min_count and count >= row.min_count:
            why = f"{_plural(count)} de la mesure depuis le {start:%d/%m/%Y}"
        elif hit is not None:
            why = f"manquement du {hit.occurred_on:%d/%m/%Y} : {row.reason}"
        else:
            continue
        label = STEP_LABELS[row.step]
        when = " sans attendre" if row.immediate else ""
        rule = (
            f"Règle appliquée ({row.key}, {row.source}) : {row.reason} → {label.lower()}"
            f"{' immédiat' if row.immediate else ''}."
        )
        if row.min_count:
            rule += f" Barème : {ladder_words(window_days)}."
        return Proposal(
            step=row.step,
            label=label,
            article=row.article,
            count_in_window=count,
            window_start=start,
            explanation=(
                f"{why[:1].upper()}{why[1:]}. Proposition « {label} »{when} ({row.article}). "
                "La décision appartient au CPIP."
            ),
            rule=rule,
            rule_key=row.key,
            practice=row.practice,
        )
    raise AssertionError("the last row of RESPONSE_TABLE matches any breach")  # pragma: no cover
