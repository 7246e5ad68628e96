"""Booking: from the person file (free time or a free slot, with the messages' preview), and
from the agenda (a free slot, then the person)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render

from parcours.accounts.http import AuthedRequest
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.notifications.services import preview_messages, sms_possible
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.models import Person

from .. import selectors, services
from ..access import BOOKING_DENIED, BOOKING_ROLES, may_book, slot_door
from ..forms import BookingForm
from ..models import Appointment, Slot

MIN_SEARCH = 3


def same_day_notice(person: Person, appointments: Iterable[Appointment], tz: ZoneInfo) -> str:
    """The notice « La personne a déjà un rendez-vous ce jour-là : … » when the person has another
    planned appointment on the day of one of `appointments` (the booking stands), else ""."""
    mine = list(appointments)
    others: dict[int, Appointment] = {}
    for appointment in mine:
        for other in selectors.same_day_appointments(
            person, appointment.starts_at, tz, exclude=[a.pk for a in mine if a.pk]
        ):
            others[other.pk] = other
    if not others:
        return ""
    listed = ", ".join(
        f"{other.appointment_type.label} le {other.starts_at.astimezone(tz):%d/%m/%Y à %H:%M}"
        for other in sorted(others.values(), key=lambda a: a.starts_at)
    )
    return f"La personne a déjà un rendez-vous ce jour-là : {listed}."


@person_door_by_person_id(
    roles=BOOKING_ROLES, methods=("GET", "POST"), allow=may_book, denied=BOOKING_DENIED
)
def book(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    user = request.user
    agendas = selectors.agendas_for(user)
    sms_problem = sms_possible(person)
    default_type = selectors.default_type(person)
    default_agenda = selectors.default_agenda(user, person)
    initial = {
        "appointment_type": default_type,
        "agenda": default_agenda,
        "sms": sms_problem is None,
        "email": bool(person.email),
    }
    chosen_slot = selectors.slot_among(agendas, request.GET.get("creneau") or "")
    if chosen_slot is not None:
        initial.update(agenda=chosen_slot.agenda, appointment_type=chosen_slot.appointment_type)
    form = BookingForm(posted(request), person=person, agendas=agendas, initial=initial)

    def save(form: BookingForm) -> Saved:
        created = services.book(
            acting_user=user,
            req=form.booking_request(),
            every_weeks=form.cleaned_data.get("every_weeks") or 0,
            count=form.cleaned_data.get("count") or 1,
        )
        first = created[0]
        text = f"Rendez-vous fixé le {first.local_start:%d/%m/%Y à %H:%M}"
        if len(created) > 1:
            text += f" (série de {len(created)} rendez-vous)"
        notice = same_day_notice(person, created, first.tz)
        return saved_at("agenda:detail", first, f"{text}. {notice}".strip())

    # The free slots of the agenda and type on the form (else the chosen slot's, the defaults).
    agenda = selectors.agenda_among(agendas, form["agenda"].value())
    kind = selectors.appointment_type(form["appointment_type"].value())
    return form_page(
        request,
        form,
        "agenda/book.html",
        {
            "title": "Fixer un rendez-vous",
            "person": person,
            "sms_problem": sms_problem,
            **selectors.free_slot_choices(
                agenda or (chosen_slot.agenda if chosen_slot else default_agenda),
                kind or (chosen_slot.appointment_type if chosen_slot else default_type),
                chosen_slot,
            ),
        },
        save=save,
    )


@person_door_by_person_id(roles=BOOKING_ROLES, allow=may_book, denied=BOOKING_DENIED)
def free_slots(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """HTMX partial: the next free slots of the chosen agenda and type."""
    agenda = selectors.agenda_among(selectors.agendas_for(request.user), request.GET.get("agenda"))
    kind = selectors.appointment_type(request.GET.get("appointment_type"))
    return render(
        request, "agenda/includes/free_slots.html", selectors.free_slot_choices(agenda, kind)
    )


@person_door_by_person_id(
    roles=BOOKING_ROLES, methods=("POST",), allow=may_book, denied=BOOKING_DENIED
)
def preview(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """HTMX partial: the messages the booking would send, with their send times."""
    person = access.person
    form = BookingForm(request.POST, person=person, agendas=selectors.agendas_for(request.user))
    previews = []
    problem = ""
    notice = ""
    if form.is_valid() and form.starts_at is not None:
        data = form.cleaned_data
        appointment = Appointment(
            person=person,
            spip_id=person.spip_id,
            appointment_type=data["appointment_type"],
            agenda=data["agenda"],
            place=data["agenda"].place,
            starts_at=form.starts_at,
            ends_at=form.starts_at + timedelta(minutes=int(data["duration"])),
        )
        previews = preview_messages(
            appointment, sms=bool(data.get("sms")), email=bool(data.get("email"))
        )
        notice = same_day_notice(person, [appointment], data["agenda"].place.tz)
    else:
        problem = "Choisissez un créneau ou une date et une heure pour voir les messages."
    return render(
        request,
        "agenda/includes/preview.html",
        {"previews": previews, "problem": problem, "same_day": notice},
    )


@slot_door(roles=BOOKING_ROLES)
def slot_book(request: AuthedRequest, slot: Slot) -> HttpResponse:
    """Booking from the agenda: a free slot, then the person (search by name or APPI number)."""
    query = (request.GET.get("q") or "").strip()[:100]
    people = []
    error = ""
    if query and len(query) < MIN_SEARCH:
        error = "Tapez au moins 3 caractères du nom ou le numéro APPI."
    elif query:
        people = selectors.people_for_slot(request.user, query)
    return render(
        request,
        "agenda/slot_book.html",
        {
            "title": "Réserver un créneau",
            "slot": slot,
            "query": query,
            "people": people,
            "error": error,
            "full": slot.remaining == 0,
        },
        status=400 if error else 200,
    )
