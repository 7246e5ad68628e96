"""Reads of the registres app besides the doors and the person file's panel."""

from __future__ import annotations

from parcours.measures.models import Measure

from .models import TigLedger


def has_tig_ledger(measure: Measure) -> bool:
    return TigLedger.objects.filter(measure=measure).exists()
