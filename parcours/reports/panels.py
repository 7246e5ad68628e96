from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from parcours.accounts.models import Role
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules import reports as rules

from .access import REPORT_ROLES, WRITER_ROLES, visible_reports


@person_file.panel(
    key="rapports", title="Rapports", template="reports/includes/person_panel.html", order=80
)
def reports(request: HttpRequest, access: PersonAccess) -> dict[str, Any] | None:
    """The person's reports the user may see (one query), and "Nouveau rapport" for writers."""
    user = request.user
    role = getattr(user, "role", None)
    if role not in REPORT_ROLES:
        return None
    reports = list(
        visible_reports(user)  # type: ignore[arg-type]
        .filter(person_id=access.person.pk)
        .select_related("measure__measure_type", "author")
        .order_by("-created_at", "-pk")
    )
    today = timezone.localdate()
    for report in reports:
        report.overdue = rules.is_overdue(report.status, report.due_date, today)  # type: ignore[attr-defined]
    return {
        "reports_panel": {
            "reports": reports,
            "can_create": role in WRITER_ROLES and access.can_edit_measures,
            "is_court": role in (Role.JAP, Role.GREFFE_SAP),
        }
    }
