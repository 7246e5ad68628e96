"""The person file's "Alertes" panel: the legal deadlines of the current measures (one query).
The alerts of the apps above (a plan's steps: `origin` set) show in their own panel."""

from __future__ import annotations

from typing import Any

from parcours.measures.selectors import spip_today
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file

from .models import Alert, with_urgency


@person_file.panel(key="alertes", title="Alertes", order=10)
def alerts(request: Any, access: PersonAccess) -> dict[str, Any]:
    return {
        "alerts": with_urgency(
            Alert.objects.filter(person=access.person, origin__isnull=True),
            spip_today(request.user.service_timezone),
        )
    }
