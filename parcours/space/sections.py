"""The sections of the space's home page. A later feature (remote check-ins, the digital-skills
self-assessment…) appends its `Section` to `SECTIONS`; `visible` hides it for a person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from parcours.people.models import Person

from . import selectors


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str
    url_name: str
    visible: Callable[[Person], bool] | None = None
    # A number shown on the card (e.g. the check-ins to answer); None or 0 shows nothing.
    count: Callable[[Person], int] | None = None


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


def home_cards(person: Person) -> list[tuple[Section, int]]:
    """The visible sections with their count (0 when the section counts nothing)."""
    return [(s, s.count(person) if s.count else 0) for s in visible_sections(person)]


# --- Remote check-ins and the digital self-assessment (issue 18, items 2 and 4) -----------------


def _due_count(person: Person) -> int:
    return len(selectors.due_checkins(person, timezone.localdate()))


SECTIONS += [
    Section(
        "controles",
        "Mes contrôles à distance",
        "Dites au SPIP si votre situation a changé. Vous pouvez envoyer un papier.",
        "space:checkins",
        visible=selectors.has_checkins,
        count=_due_count,
    ),
    Section(
        "numerique",
        "Mon autoévaluation numérique",
        "Quelques questions sur internet et le téléphone, pour trouver une aide si besoin.",
        "space:digital",
    ),
]
