"""Manquements (breaches): count in a rolling window and propose the next step.

A breach of an obligation can lead the JAP to recall the obligations, modify them or revoke the
measure (CP art. 132-47 for the sursis probatoire; CPP art. 742 for the JAP's response to a
failure to comply). The SPIP's graduated response below is local practice, kept as parameters
(to confirm with each service): the CPIP decides; the rule only proposes.

- 1 breach in the window: rappel des obligations (during an interview, noted in the file).
- 2 breaches: convocation (formal interview, written warning).
- 3 or more, or any breach marked serious: rapport d'incident to the JAP.
"""

from __future__ import annotations

from collections.abc import Iterable
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


@dataclass(frozen=True)
class BreachFact:
    occurred_on: date
    serious: bool = False


@dataclass(frozen=True)
class Proposal:
    step: str
    label: str
    article: str
    count_in_window: int
    window_start: date
    explanation: str


def breaches_in_window(
    breaches: Iterable[BreachFact], today: date, window_days: int = WINDOW_DAYS
) -> list[BreachFact]:
    """Breaches that occurred in the rolling window ending today (both ends included)."""
    start = today - timedelta(days=window_days)
    return [b for b in breaches if start <= b.occurred_on <= today]


def propose_next_step(
    breaches: Iterable[BreachFact], today: date, window_days: int = WINDOW_DAYS
) -> Proposal | None:
    """The graduated response for the breaches in the window; None when there is none."""
    recent = breaches_in_window(breaches, today, window_days)
    if not recent:
        return None
    count = len(recent)
    serious = any(b.serious for b in recent)
    if serious or count >= STEP_THRESHOLDS["rapport_incident"]:
        step = "rapport_incident"
    elif count >= STEP_THRESHOLDS["convocation"]:
        step = "convocation"
    else:
        step = "rappel"
    start = today - timedelta(days=window_days)
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
    )
