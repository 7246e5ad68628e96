"""The person file's "Registres" panel: TIG hours and victim compensation (CP 131-22,
132-45 5°): the person's current TIG measures and compensable measures (read from the measures
the measures panel already loaded: no query of their own), then the ledgers (display.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parcours.obligations.panels import person_measures
from parcours.people.access import PersonAccess
from parcours.people.panels import SUIVI, person_file

from .display import COMPENSATION_CODE, compensation_ledgers_for, tig_ledgers_for


@person_file.panel(key="registres", title="Registres", order=30, tab=SUIVI)
def ledgers(request: Any, access: PersonAccess) -> dict[str, Any]:
    current = [row for row in person_measures(request, access) if row.measure.is_current]
    today = timezone.localdate()
    tig = [row.measure for row in current if row.measure.measure_type.code == "tig"]
    compensable = [
        row.measure
        for row in current
        if any(o.obligation_type.code == COMPENSATION_CODE for o, _ in row.obligations)
    ]
    return {
        **tig_ledgers_for(access.person, tig, today),
        **compensation_ledgers_for(access.person, compensable, today),
    }
