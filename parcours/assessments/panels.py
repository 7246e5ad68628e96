from __future__ import annotations

from typing import Any

from parcours.accounts.http import AuthedRequest
from parcours.people.access import PersonAccess
from parcours.people.panels import ACCOMPAGNEMENT, person_file

from .access import READ_ROLES
from .models import Assessment

PANEL_ROWS = 5


@person_file.panel(
    key="evaluations", title="Évaluations", order=78, tab=ACCOMPAGNEMENT, roles=READ_ROLES
)
def assessments(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The person's last assessments (one query) and the links to all of them, to a new one
    and to the digital self-assessment."""
    rows = list(
        Assessment.objects.filter(person=access.person)
        .select_related("measure__measure_type")
        .order_by("-created_at", "-pk")[: PANEL_ROWS + 1]
    )
    return {
        "assessments_panel": {
            "rows": rows[:PANEL_ROWS],
            "more": len(rows) > PANEL_ROWS,
            "can_create": access.can_edit_measures,
        }
    }
