from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules.agenda import AppointmentStatus, attendance

from .access import AGENDA_ROLES, can_book
from .models import Appointment


@person_file.panel(key="rendez-vous", title="Rendez-vous", order=50, roles=AGENDA_ROLES)
def appointments(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """Upcoming and recent appointments of the person, and attendance over 12 months.

    Three queries whatever the number of appointments."""
    user = request.user
    person = access.person
    now = timezone.now()
    # Only the columns the panel shows: the wide rows cost more to compile than to run.
    base = (
        Appointment.objects.filter(person_id=person.pk)
        .select_related("appointment_type", "place")
        .only("public_id", "starts_at", "status", "appointment_type__label", "place__name")
    )
    upcoming = list(
        base.filter(starts_at__gte=now, status=AppointmentStatus.PLANIFIE).order_by("starts_at")[:5]
    )
    recent = list(
        base.filter(starts_at__lt=now)
        .exclude(status=AppointmentStatus.REPORTE)
        .order_by("-starts_at")[:5]
    )
    statuses = Appointment.objects.filter(
        person=person, starts_at__lt=now, starts_at__gte=now - timedelta(days=365)
    ).values_list("status", flat=True)
    return {
        "agenda_panel": {
            "can_book": can_book(user, access),
            "upcoming": upcoming,
            "recent": recent,
            "attendance": attendance(AppointmentStatus(s) for s in statuses),
        }
    }
