"""Reads of the alerts: the "À traiter" list, from the user's scope (`Person.objects.visible_to`:
a CPIP's own caseload, the encadrement's SPIP, by referent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from parcours.accounts.models import Role, User
from parcours.people.models import Person

from .models import URGENCY_LEVELS, Alert, urgency_q


@dataclass(frozen=True)
class Todo:
    alerts: QuerySet[Alert]  # filtered and ordered, not yet paginated
    counts: dict[str, int]  # per urgency level, before the urgency filter
    total: int  # the rows of `alerts` (the list's pages need no count of their own)


def todo(user: User, filters: dict[str, Any], today: date) -> Todo:
    """The deadlines of the user's people, overdue first (most overdue first), then by due
    date; `filters`: `urgence`, `referent` (the encadrement only)."""
    people = Person.objects.visible_to(user)
    alerts = Alert.objects.all()
    if user.role == Role.CPIP:
        people = people.filter(referent=user)
    else:
        # The encadrement reads its SPIP's own alerts on the (SPIP, due date) index, instead of
        # probing the alerts of each of its people; the people's scope still applies (ADR 0026).
        alerts = alerts.filter(spip_id=user.spip_id)
        if filters.get("referent"):
            people = people.filter(referent__public_id=filters["referent"])
    alerts = alerts.filter(person__in=people.values("pk"))
    # One pass counts each level and the whole (the list's filter is one level's condition).
    counts = alerts.aggregate(
        **{level: Count("pk", filter=urgency_q(level, today)) for level, _ in URGENCY_LEVELS},
        _all=Count("pk"),
    )
    total = counts.pop("_all")
    if filters.get("urgence"):
        alerts = alerts.filter(urgency_q(filters["urgence"], today))
        total = counts[filters["urgence"]]
    # Due date ascending = overdue first, most overdue first, then the nearest deadlines.
    ordered = alerts.select_related("person", "person__referent").order_by(
        "due_date", "person__last_name", "pk"
    )
    return Todo(alerts=ordered, counts=counts, total=total)
