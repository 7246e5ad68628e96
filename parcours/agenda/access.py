"""Doors of the agenda.

- `appointment_door`: one appointment, reached only through the person's door (404 outside the
  user's scope, the break-the-glass motif when needed, the consultation journaled on reads);
- `agenda_door` and `slot_door`: an agenda or a slot of the user's SPIP (404 otherwise); they
  carry no personal data, so nothing is journaled;
- `visible_appointments(user)`: where every list of appointments starts (agenda/selectors.py).

Booking views open the person with `people.access.person_door_by_person_id`.
"""

from __future__ import annotations

from uuid import UUID

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role, User
from parcours.core.doors import Door, get_or_404
from parcours.people.access import PersonAccess, open_on_file

from .models import Agenda, Appointment, AppointmentQuerySet, Slot

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
# Who opens every agenda of the SPIP on the day's page (docs/access-matrix.md, "Agenda of the
# day"); everyone else (CPIP, psychologue, surveillant) opens their own agenda only.
SERVICE_AGENDA_ROLES = (Role.DPIP, Role.DFSPIP, Role.SECRETARIAT)

BOOKING_DENIED = "Vous pouvez consulter ce dossier mais pas fixer de rendez-vous."


def appointments_scope(user: User) -> int | None:
    """The SPIP whose appointments the user sees (agenda and reception screens), or None."""
    if getattr(user, "role", None) not in AGENDA_ROLES or not user.spip_id:
        return None
    return user.spip_id


def appointments_in(spip_id: int | None) -> AppointmentQuerySet:
    """The appointments of one SPIP (none for None)."""
    if spip_id is None:
        return Appointment.objects.none()
    return Appointment.objects.filter(spip_id=spip_id)


def visible_appointments(user: User) -> AppointmentQuerySet:
    """Appointments of the user's SPIP (agenda and reception screens of the service)."""
    return appointments_in(appointments_scope(user))


def open_appointment(
    request: AuthedRequest, public_id: UUID, *, journal: bool = True
) -> tuple[Appointment, PersonAccess]:
    """The opener of `appointment_door`: the appointment, then the person's door (404 outside
    scope, MotifRequired when a motif is needed, the consultation journaled with `journal`)."""
    appointments = visible_appointments(request.user).select_related(
        "person", "place__spip", "agenda", "agent", "appointment_type"
    )
    return open_on_file(
        request,
        appointments,
        public_id,
        person_path="person",
        missing="Rendez-vous introuvable.",
        journal=journal,
    )


def open_agenda(request: AuthedRequest, public_id: UUID, *, journal: bool = True) -> Agenda:
    """An agenda of the user's SPIP (set-up screens)."""
    return get_or_404(
        Agenda.objects.select_related("place__spip", "agent"),
        "Agenda introuvable.",
        public_id=public_id,
        place__spip_id=request.user.spip_id,
    )


def open_slot(request: AuthedRequest, public_id: UUID, *, journal: bool = True) -> Slot:
    """A slot of an agenda of the user's SPIP (booking from the agenda)."""
    return get_or_404(
        Slot.objects.select_related("agenda__place__spip", "appointment_type"),
        "Créneau introuvable.",
        public_id=public_id,
        agenda__place__spip_id=request.user.spip_id,
    )


# `@appointment_door(roles=…, methods=…, allow=…)` → view(request, appointment, access).
appointment_door: Door[tuple[Appointment, PersonAccess]] = Door("rendez-vous", open_appointment)
agenda_door: Door[Agenda] = Door("agenda", open_agenda)
slot_door: Door[Slot] = Door("créneau", open_slot)


def can_book(user: User, access: PersonAccess) -> bool:
    """Referent, DPIP/DFSPIP (writers of the file) and the secretariat book convocations."""
    if getattr(user, "role", None) == Role.SECRETARIAT:
        return True
    return access.can_edit_measures


def may_book(request: AuthedRequest, access: PersonAccess) -> bool:
    """The `allow` of the booking views (person door)."""
    return can_book(request.user, access)


def may_change(request: AuthedRequest, appointment: Appointment, access: PersonAccess) -> bool:
    """The `allow` of the views that change an appointment (outcome, report, reception)."""
    return can_book(request.user, access)
