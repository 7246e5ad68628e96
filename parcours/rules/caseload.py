"""Caseload weighting (domain.md §1: official target of 60 files per CPIP).

A person counts with the highest weight among their current measures; weights are catalogue data
(MeasureType.caseload_weight), a local workload parameter to confirm with each service.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

CASELOAD_TARGET = 60


def person_weight(current_measure_weights: Iterable[Decimal]) -> Decimal:
    """The heaviest current measure decides; a person with no current measure still counts 1."""
    weights = list(current_measure_weights)
    return max(weights) if weights else Decimal("1.00")


def load_level(weighted_count: Decimal, target: int = CASELOAD_TARGET) -> str:
    """'sous' (< 90 % of target), 'cible' (90–110 %), 'au-dessus' (> 110 %)."""
    if target <= 0:
        raise ValueError("target must be positive")
    ratio = weighted_count / Decimal(target)
    if ratio < Decimal("0.9"):
        return "sous"
    if ratio <= Decimal("1.1"):
        return "cible"
    return "au-dessus"
