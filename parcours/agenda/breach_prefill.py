"""« Enregistrer le manquement » from a missed appointment: the facts of the appointment for the
manquement form of the breaches app (breaches.prefill), which sits below the agenda and never
reads appointments. Named on this app's AppConfig (`breach_prefills`)."""

from __future__ import annotations

from uuid import UUID

from parcours.accounts.http import AuthedRequest
from parcours.breaches.models import BreachKind
from parcours.breaches.prefill import Prefill
from parcours.people.models import Person
from parcours.rules.agenda import AppointmentStatus

from .access import visible_appointments


def missed_appointment(request: AuthedRequest, person: Person, value: str) -> Prefill | None:
    """The person's missed appointment `value` (a public id), among those the user may see."""
    try:
        appointment_id = UUID(value)
    except ValueError:
        return None
    appointment = (
        visible_appointments(request.user)
        .filter(public_id=appointment_id, person=person, status=AppointmentStatus.ABSENT)
        .select_related("appointment_type", "place__spip")
        .first()
    )
    if appointment is None:
        return None
    local = appointment.local_start
    return Prefill(
        kind=BreachKind.ABSENCE,
        occurred_on=local.date(),
        measure_id=appointment.measure_id,
        facts=(
            f"Absence non excusée au rendez-vous « {appointment.appointment_type.label} » du "
            f"{local:%d/%m/%Y à %H:%M} ({appointment.place.name})."
        ),
    )
