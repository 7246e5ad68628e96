"""The person file's "Changement de SPIP" panel (tab Suivi de la mesure): the person's
dessaisissements and, for the referent and the encadrement, the way to ask one.

Queries: one (the person's handovers, their SPIPs and authors joined); none for the roles that
neither ask nor decide (`roles=`)."""

from __future__ import annotations

from typing import Any

from parcours.people.access import PersonAccess
from parcours.people.panels import SUIVI, person_file
from parcours.rules.vocabulary import HandoverStatus

from .access import REQUESTERS
from .selectors import of_person


@person_file.panel(
    key="changement-spip", title="Changement de SPIP", order=95, tab=SUIVI, roles=REQUESTERS
)
def handover_panel(request: Any, access: PersonAccess) -> dict[str, Any]:
    history = of_person(access.person)
    waiting = any(h.status == HandoverStatus.EN_ATTENTE for h in history)
    return {
        "handovers": history,
        "can_request_handover": access.can_transfer and not waiting,
    }
