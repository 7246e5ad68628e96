from __future__ import annotations

from datetime import date
from typing import Any

from parcours.breaches.models import Breach, BreachKind, NextStep


def first_breach(person: Any) -> Breach:
    found = Breach.objects.filter(person=person).order_by("pk").first()
    if found:
        return found
    return Breach.objects.create(
        person=person,
        measure=person.measures.order_by("pk").first(),
        kind=BreachKind.JUSTIFICATIF,
        occurred_on=date(2026, 10, 1),
        facts="Attestation de soins d'octobre non fournie.",
        proposed_step=NextStep.RAPPEL,
        chosen_step=NextStep.RAPPEL,
    )
