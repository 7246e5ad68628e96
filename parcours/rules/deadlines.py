"""Compatibility shim (issue 13): the legacy deadline rules are gone, the apps use
`rules.legal_deadlines` (ADR 0010). What remains is the only name still imported, by
`rules.ledgers` (the TIG register, owned by another change): `tig_completion` without a
timeline. Remove this module once `rules.ledgers` takes every TIG due date from
`legal_deadlines` (its `due` argument).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from parcours.rules.dates import add_months
from parcours.rules.legal_deadlines import EXECUTION_TIG, RULES, LegalRule

__all__ = ["DEADLINE_RULES", "EXECUTION_TIG", "tig_completion"]

DEADLINE_RULES: dict[str, LegalRule] = {EXECUTION_TIG: RULES[EXECUTION_TIG]}


@dataclass(frozen=True)
class TigDue:
    kind: str
    due: date
    article: str


def tig_completion(
    enforceable_from: date, *, months: int | None = None, suspended_days: int = 0
) -> TigDue:
    """CP art. 131-22: the court's delay (at most 18 months) from `enforceable_from`, pushed
    back by `suspended_days`."""
    rule = RULES[EXECUTION_TIG]
    if months is not None and not 0 < months <= rule.months:
        raise ValueError(
            f"Le délai d'exécution fixé doit être compris entre 1 et {rule.months} mois "
            f"({rule.article})."
        )
    if suspended_days < 0:
        raise ValueError("Un délai ne peut pas être négatif.")
    due = add_months(enforceable_from, rule.months if months is None else months)
    return TigDue(EXECUTION_TIG, due + timedelta(days=suspended_days), rule.article)
