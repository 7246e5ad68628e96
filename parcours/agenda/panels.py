from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules.agenda import AppointmentStatus, attendance

from .access import AGENDA_ROLES, can_book
from .models import Appointment

SHOWN = 5  # upcoming and recent appointments listed
ATTENDANCE_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class AppointmentRow:
    """What the panel shows of an appointment (read as a values row: no model instances)."""

    public_id: UUID
    starts_at: datetime
    status: str
    type_label: str
    place_name: str

    @property
    def status_label(self) -> str:
        return str(AppointmentStatus(self.status).label)


@person_file.panel(key="rendez-vous", title="Rendez-vous", order=50, roles=AGENDA_ROLES)
def appointments(request: AuthedRequest, access: PersonAccess) -> dict[str, Any] | None:
    """Upcoming and recent appointments of the person, and attendance over 12 months.

    One query whatever the number of appointments: the appointments from a year ago onwards
    (the upcoming ones and the attendance window) and the last five past ones before that, in
    case the person had fewer than five in the year."""
    user = request.user
    person_id = access.person.pk
    now = timezone.now()
    year_ago = now - ATTENDANCE_WINDOW
    mine = Appointment.objects.filter(person_id=person_id)
    last_past = (
        mine.filter(starts_at__lt=now)
        .exclude(status=AppointmentStatus.REPORTE)
        .order_by("-starts_at", "-pk")
        .values("pk")[:SHOWN]
    )
    rows = [
        AppointmentRow(*values)
        for values in mine.filter(Q(starts_at__gte=year_ago) | Q(pk__in=last_past))
        .order_by("starts_at", "pk")
        .values_list("public_id", "starts_at", "status", "appointment_type__label", "place__name")
    ]
    planned = AppointmentStatus.PLANIFIE
    upcoming = [r for r in rows if r.starts_at >= now and r.status == planned][:SHOWN]
    past = [r for r in reversed(rows) if r.starts_at < now]
    recent = [r for r in past if r.status != AppointmentStatus.REPORTE][:SHOWN]
    return {
        "agenda_panel": {
            "can_book": can_book(user, access),
            "upcoming": upcoming,
            "recent": recent,
            "attendance": attendance(
                AppointmentStatus(r.status) for r in past if r.starts_at >= year_ago
            ),
        }
    }
