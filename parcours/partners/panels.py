"""The person file's "Orientations" panel: the person's referrals to partners (one query),
for the SPIP's staff; the referent and the encadrement create one from here."""

from __future__ import annotations

from typing import Any

from parcours.people.access import PersonAccess
from parcours.people.panels import ACCOMPAGNEMENT, person_file
from parcours.rules.roles import SPIP_STAFF_ROLES

from .selectors import person_referrals


@person_file.panel(
    key="orientations", title="Orientations", order=32, tab=ACCOMPAGNEMENT, roles=SPIP_STAFF_ROLES
)
def referrals_panel(request: Any, access: PersonAccess) -> dict[str, Any] | None:
    return {"referrals": person_referrals(access.person)}
