"""Dessaisissements for tests: the cast's other SPIP (La Réunion) asks the Nord to take its
person (the cast's dpip decides; cpip_autre asked)."""

from __future__ import annotations

from typing import Any

from parcours.handovers.models import Handover
from parcours.handovers.services import request_handover


def incoming_handover(cast: Any, **fields: Any) -> Handover:
    found = Handover.objects.filter(person=cast.other_person).order_by("pk").first()
    if found is not None:
        return found
    values: dict[str, Any] = {
        "reason": "Déménagement à Lille pour un emploi.",
        "new_address": "3 rue Nationale\n59000 Lille",
        **fields,
    }
    return request_handover(
        acting_user=cast.cpip_autre, person=cast.other_person, to_spip=cast.spip, **values
    )


def matrix_kwargs(name: str, cast: Any, person: Any) -> dict[str, Any]:
    if name == "handovers:request":
        return {"person_id": person.public_id}
    if name in ("handovers:detail", "handovers:withdraw"):
        return {"public_id": incoming_handover(cast).public_id}
    return {}
