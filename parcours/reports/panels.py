from __future__ import annotations

from typing import Any

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.people.access import PersonAccess
from parcours.people.panels import ECRITS, person_file

from .access import REPORT_ROLES, WRITER_ROLES
from .selectors import person_reports


@person_file.panel(key="rapports", title="Rapports", order=80, tab=ECRITS, roles=REPORT_ROLES)
def reports(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The person's reports the user may see (one query), and "Nouveau rapport" for writers."""
    role = request.user.role
    return {
        "reports_panel": {
            "reports": person_reports(request.user, access.person),
            "can_create": role in WRITER_ROLES and access.can_edit_measures,
            "is_court": role in (Role.JAP, Role.GREFFE_SAP),
        }
    }
