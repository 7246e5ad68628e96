"""Doors to the registres (TIG ledgers, compensation ledgers): through the person's door (404
outside the user's scope, a motif for a colleague's file, the consultation journaled)."""

from __future__ import annotations

from parcours.core.doors import Door
from parcours.people.access import PersonAccess, file_record_opener

from .models import CompensationLedger, TigLedger, TigSession

open_tig_ledger = file_record_opener(
    TigLedger.objects.select_related("person", "measure__measure_type"),
    "person",
    "Registre introuvable.",
)
open_compensation_ledger = file_record_opener(
    CompensationLedger.objects.select_related("person", "measure__measure_type"),
    "person",
    "Registre introuvable.",
)
tig_ledger_door: Door[tuple[TigLedger, PersonAccess]] = Door("registre de TIG", open_tig_ledger)
compensation_ledger_door: Door[tuple[CompensationLedger, PersonAccess]] = Door(
    "registre d'indemnisation", open_compensation_ledger
)
tig_session_door: Door[tuple[TigSession, PersonAccess]] = Door(
    "séance de TIG",
    file_record_opener(
        TigSession.objects.select_related("ledger__person"),
        "ledger__person",
        "Séance introuvable.",
    ),
)
