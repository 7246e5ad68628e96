"""The person file's "Alertes" panel: the legal deadlines of the current measures (one prepared
query, core.prepared). The alerts of the apps above (a plan's steps: `origin` set) show in their
own panel."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from parcours.core.prepared import prepared
from parcours.measures.selectors import spip_today
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file

from .models import Alert, with_urgency


@prepared
def legal_alerts_of(*, person_id: int) -> QuerySet[Alert]:
    return Alert.objects.filter(person_id=person_id, origin__isnull=True)


@person_file.panel(key="alertes", title="Alertes", order=10)
def alerts(request: Any, access: PersonAccess) -> dict[str, Any]:
    return {
        "alerts": with_urgency(
            legal_alerts_of(person_id=access.person.pk),
            spip_today(request.user.service_timezone),
        )
    }
