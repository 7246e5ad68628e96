"""What the person file shows of the ledgers (fixed number of queries)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from parcours.measures.models import Measure
from parcours.people.models import Person
from parcours.rules.ledgers import WorkSession, tig_progress

from .models import TigLedger

RECENT_SESSIONS = 10


def tig_ledgers_for(
    person: Person, current_measures: Sequence[Measure], today: date
) -> dict[str, Any]:
    """Two queries at most: the ledgers, then their sessions in one prefetch."""
    ledgers = list(
        TigLedger.objects.filter(person=person)
        .prefetch_related("sessions")
        .order_by("-enforceable_from", "-pk")
    )
    for ledger in ledgers:
        sessions = list(ledger.sessions.all())
        # Entries made outside the forms (admin, import) must not break the person file.
        ledger.progress_error = ""  # type: ignore[attr-defined]
        try:
            ledger.progress = tig_progress(  # type: ignore[attr-defined]
                ledger.hours_ordered,
                [WorkSession(s.day, s.hours) for s in sessions],
                ledger.enforceable_from,
                today,
            )
        except ValueError as error:
            ledger.progress = None  # type: ignore[attr-defined]
            ledger.progress_error = str(error)  # type: ignore[attr-defined]
        ledger.recent_sessions = sessions[:RECENT_SESSIONS]  # type: ignore[attr-defined]
    with_ledger = {ledger.measure_id for ledger in ledgers}
    without = [
        m for m in current_measures if m.measure_type.code == "tig" and m.pk not in with_ledger
    ]
    return {"tig_ledgers": ledgers, "tig_measures_without_ledger": without}
