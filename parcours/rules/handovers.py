"""Dessaisissement: a person's file handed to the SPIP of another ressort (docs/legal-sources.md,
rows R-HANDOVER-*).

CPP art. 712-10: the JAP competent for a free person is the one of their habitual residence;
after the initial seizure, the JAP "peut se dessaisir d'office, sur la demande du condamné ou
sur réquisitions du ministère public, au profit du juge de l'application des peines [...] de la
nouvelle résidence habituelle du condamné lorsqu'il est situé dans un autre ressort". The SPIP
that follows the person is the one of that JAP's ressort, so the file follows the JAP.

For a detainee, competence follows the establishment where they are held (al. 1): transfers
between establishments are the écrou's business (detention), not a handover.

Conventions (ADR 0032):

- One handover waits at a time per person; it names the receiving SPIP, the reason and, when
  known, the new address and the date of the JAP's order.
- Nothing moves before a manager of the receiving service decides (accept, or refuse with the
  reason); the sending side may withdraw a waiting handover, with the reason. Mon Suivi
  Justice accepts a transfer by itself after 10 days; Parcours does not (no file crosses
  services without someone of the receiving service): a handover still waiting after
  WAITING_DAYS days is shown as late on both sides.
"""

from __future__ import annotations

from datetime import date

from parcours.rules.choices import Choices
from parcours.rules.vocabulary import HandoverStatus

# The days after which a waiting handover is shown as late (the delay Mon Suivi Justice gives a
# receiving service before it accepts in its place).
WAITING_DAYS = 10


class HandoverAction(Choices):
    ACCEPTER = "accepter", "Accepter : le dossier rejoint notre service"
    REFUSER = "refuser", "Refuser : le dossier reste au service d'origine"
    ANNULER = "annuler", "Retirer la demande"


S = HandoverStatus
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.EN_ATTENTE, HandoverAction.ACCEPTER): S.ACCEPTE,
    (S.EN_ATTENTE, HandoverAction.REFUSER): S.REFUSE,
    (S.EN_ATTENTE, HandoverAction.ANNULER): S.ANNULE,
}

SAME_SPIP = "Choisissez un autre SPIP que celui qui suit la personne."
DETAINED = (
    "La personne est écrouée : pendant la détention, le suivi relève du SPIP de l'établissement "
    "(CPP art. 712-10, al. 1) ; un transfert d'établissement s'enregistre dans la détention."
)
ALREADY_WAITING = "Un dessaisissement est déjà en attente pour cette personne."


def request_problem(*, same_spip: bool, detained: bool, waiting: bool) -> str | None:
    """Why a handover may not be asked now (the French reason), or None."""
    if same_spip:
        return SAME_SPIP
    if detained:
        return DETAINED
    if waiting:
        return ALREADY_WAITING
    return None


def next_status(status: str, action: str) -> str:
    """The status after `action`, or ValueError with the French reason."""
    found = TRANSITIONS.get((status, action))
    if found is None:
        label = S(status).label.lower() if status in S.values else status
        raise ValueError(f"Ce dessaisissement est déjà {label} : plus rien à décider.")
    return found


def needs_reason(action: str) -> bool:
    """A refusal and a withdrawal say why (the other service reads it)."""
    return action in (HandoverAction.REFUSER, HandoverAction.ANNULER)


def waiting_days(requested_on: date, today: date) -> int:
    """Whole days since the request (0 on its day)."""
    return max((today - requested_on).days, 0)


def is_late(requested_on: date, today: date) -> bool:
    """A waiting handover older than WAITING_DAYS days."""
    return waiting_days(requested_on, today) > WAITING_DAYS
