"""The sections of the space's home page. A later feature (remote check-ins, the digital-skills
self-assessment…) appends its `Section` to `SECTIONS`; `visible` hides it for a person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parcours.people.models import Person


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str
    url_name: str
    visible: Callable[[Person], bool] | None = None


SECTIONS: list[Section] = [
    Section(
        "rendez-vous",
        "Mes rendez-vous",
        "La date, l'heure et le lieu de vos prochains rendez-vous. Dites si vous viendrez.",
        "space:appointments",
    ),
    Section(
        "justificatifs",
        "Mes justificatifs",
        "Les papiers à envoyer au SPIP. Envoyez une photo avec votre téléphone.",
        "space:proofs",
    ),
    Section(
        "messages",
        "Messages de mon conseiller",
        "Les messages de votre conseiller ou de votre conseillère.",
        "space:notices",
    ),
]


def visible_sections(person: Person) -> list[Section]:
    return [s for s in SECTIONS if s.visible is None or s.visible(person)]
