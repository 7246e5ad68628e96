"""Manquements (breaches recorded by the CPIP): the graduated response, as data (R-BREACHES).

A breach of an obligation can lead the JAP to recall the obligations, modify them, prolong the
probation or revoke the measure (CP art. 132-47; CPP art. 742). The SPIP's response is proposed
here, the CPIP decides. Two kinds of rules, both data:

- Immediate rules (`IMMEDIATE_RULES`), checked first, by breach kind or by the obligation
  breached: a new offence, a contact with a person the convict must not meet (the victim,
  CP art. 132-45 13°), a breach of the anti-approach device (132-45 18° bis, 132-45-1) call for an
  immediate incident report to the JAP, whatever the count.
- Otherwise a ladder on the number of breaches of the same measure in a rolling window
  (`LADDER`, local practice, to confirm with each service): 1 → rappel des obligations,
  2 → convocation, 3 or more (or one marked serious) → rapport d'incident.

Counting is per measure when the caller gives the measure (`measure=`): breaches of the
person's other measures, closed or not, do not count. Without it (the legacy call), all the
facts given count. Each proposal shows the rule applied (`rule`, French).
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
STEP_ARTICLES = {
    "rappel": "pratique du service (à confirmer)",
    "convocation": "pratique du service (à confirmer)",
    "rapport_incident": "CP art. 132-47 ; CPP art. 742",
}

# Breach kinds (the apps' BreachKind values) and obligation codes (catalogue) the rules name.
KIND_NEW_OFFENCE = "infraction"
OBLIGATION_NO_CONTACT = "cp_132_45_13"
OBLIGATION_ANTI_APPROACH = "cp_132_45_18_bis"


@dataclass(frozen=True)
class ImmediateRule:
    """A breach matching `kind` (when set) and `obligation` (when set) gets `step` at once."""

    step: str
    article: str
    reason: str  # French, shown to the CPIP
    kind: str = ""
    obligation: str = ""

    def matches(self, breach: BreachFact) -> bool:
        if self.kind and breach.kind != self.kind:
            return False
        return not (self.obligation and breach.obligation != self.obligation)


IMMEDIATE_RULES: tuple[ImmediateRule, ...] = (
    ImmediateRule(
        "rapport_incident",
        "CP art. 132-47 et 132-48 ; CPP art. 742",
        "nouvelle infraction signalée pendant la mesure",
        kind=KIND_NEW_OFFENCE,
    ),
    ImmediateRule(
        "rapport_incident",
        "CP art. 132-45 18° bis et 132-45-1 ; CPP art. 742",
        "violation du dispositif anti-rapprochement",
        obligation=OBLIGATION_ANTI_APPROACH,
    ),
    ImmediateRule(
        "rapport_incident",
        "CP art. 132-45 13° ; CPP art. 742",
        "contact avec une personne que le condamné ne doit pas rencontrer (la victime…)",
        obligation=OBLIGATION_NO_CONTACT,
    ),
)
# (minimum count in the window, step), first match wins.
LADDER: tuple[tuple[int, str], ...] = (
    (STEP_THRESHOLDS["rapport_incident"], "rapport_incident"),
    (STEP_THRESHOLDS["convocation"], "convocation"),
    (STEP_THRESHOLDS["rappel"], "rappel"),
)


@dataclass(frozen=True)
class BreachFact:
    occurred_on: date
    serious: bool = False
    kind: str = ""  # e.g. "infraction", "interdiction", "absence"
    obligation: str = ""  # obligation type code breached, e.g. "cp_132_45_13"
    measure: Hashable = None  # the measure it belongs to (any key)


@dataclass(frozen=True)
class Proposal:
    step: str
    label: str
    article: str
    count_in_window: int
    window_start: date
    explanation: str
    rule: str = ""  # the rule applied, in French


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


def _ladder_rule(window_days: int) -> str:
    steps = ", ".join(
        f"{count}{' ou plus' if i == 0 else ''} → {STEP_LABELS[step].lower()}"
        for i, (count, step) in enumerate(LADDER)
    )
    return (
        f"Manquements de la mesure sur {window_days} jours glissants : {steps} ; un manquement "
        "grave → rapport d'incident (pratique du service, à confirmer)."
    )


def propose_next_step(
    breaches: Iterable[BreachFact],
    today: date,
    window_days: int = WINDOW_DAYS,
    *,
    measure: Hashable = None,
) -> Proposal | None:
    """The graduated response for the breaches in the window (of `measure` when given); None
    when there is none."""
    recent = breaches_in_window(breaches, today, window_days, measure=measure)
    if not recent:
        return None
    count = len(recent)
    start = today - timedelta(days=window_days)
    for rule in IMMEDIATE_RULES:
        hit = next(
            (b for b in sorted(recent, key=lambda b: b.occurred_on) if rule.matches(b)), None
        )
        if hit is not None:
            return Proposal(
                step=rule.step,
                label=STEP_LABELS[rule.step],
                article=rule.article,
                count_in_window=count,
                window_start=start,
                explanation=(
                    f"Manquement du {hit.occurred_on:%d/%m/%Y} : {rule.reason}. Proposition "
                    f"« {STEP_LABELS[rule.step]} » sans attendre ({rule.article}). La décision "
                    "appartient au CPIP."
                ),
                rule=f"{rule.reason.capitalize()} → {STEP_LABELS[rule.step].lower()} immédiat.",
            )
    serious = any(b.serious for b in recent)
    step = "rapport_incident" if serious else next(s for n, s in LADDER if count >= n)
    reason = "un manquement grave" if serious else f"{count} manquement{'s' if count > 1 else ''}"
    return Proposal(
        step=step,
        label=STEP_LABELS[step],
        article=STEP_ARTICLES[step],
        count_in_window=count,
        window_start=start,
        explanation=(
            f"{reason.capitalize()} depuis le {start:%d/%m/%Y} : proposition "
            f"« {STEP_LABELS[step]} » ({STEP_ARTICLES[step]}). La décision appartient au CPIP."
        ),
        rule=_ladder_rule(window_days),
    )
