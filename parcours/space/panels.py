from __future__ import annotations

from typing import Any

from parcours.accounts.http import AuthedRequest
from parcours.measures.access import WRITERS
from parcours.people.access import PersonAccess
from parcours.people.panels import ECHANGES, person_file

from .selectors import account_of, recent_notices
from .services import space_refusal


@person_file.panel(
    key="espace-personnel", title="Espace personnel", order=65, tab=ECHANGES, roles=WRITERS
)
def space_panel(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The person's space: open or not (and why), last sign-in, the notices sent (2 queries).
    For the SPIP's referent and encadrement."""
    person = access.person
    account = account_of(person)
    return {
        "space_panel": {
            "account": account,
            "refusal": space_refusal(person, account),
            "notices": recent_notices(person),
            "can_edit": access.can_edit_measures,
        }
    }
