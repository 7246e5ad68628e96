"""Scoped door for the agenda: appointments are reached only through people the user may see."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest

from parcours.accounts.models import Role, User
from parcours.people.access import PersonAccess, get_person_for
from parcours.people.models import Person

from .models import Appointment, AppointmentQuerySet

# Who works with agendas: the SPIP's staff. Courts and partners never see them.
AGENDA_ROLES = (
    Role.CPIP,
    Role.DPIP,
    Role.DFSPIP,
    Role.SECRETARIAT,
    Role.PSYCHOLOGUE,
    Role.SURVEILLANT,
)
# Who books, records outcomes and manages reception.
BOOKING_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)
# Who sets up places, agendas and slot templates.
SETUP_ROLES = (Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)


def visible_appointments(user: User) -> AppointmentQuerySet:
    """Appointments of the user's SPIP (agenda and reception screens of the service)."""
    if getattr(user, "role", None) not in AGENDA_ROLES or not user.spip_id:
        return Appointment.objects.none()
    return Appointment.objects.filter(spip_id=user.spip_id)


def get_appointment_for(
    request: HttpRequest, public_id: UUID, *, journal: bool = True
) -> tuple[Appointment, PersonAccess]:
    """One appointment, through the person's door (404 outside scope, motif when needed)."""
    user: User = request.user  # type: ignore[assignment]
    visible = Person.objects.visible_to(user)
    try:
        appointment = (
            visible_appointments(user)
            .select_related("person", "place__spip", "agenda", "agent", "appointment_type")
            .get(public_id=public_id, person__in=visible)
        )
    except (Appointment.DoesNotExist, ValueError):
        raise Http404("Rendez-vous introuvable.") from None
    access = get_person_for(request, appointment.person.public_id, journal=journal)
    appointment.person = access.person
    return appointment, access


def can_book(user: User, access: PersonAccess) -> bool:
    """Referent, DPIP/DFSPIP (writers of the file) and the secretariat book convocations."""
    if getattr(user, "role", None) == Role.SECRETARIAT:
        return True
    return access.can_edit_measures
