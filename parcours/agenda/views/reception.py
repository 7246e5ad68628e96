"""The reception: today's appointments of a place, arrivals, the printed day sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.downloads import document
from parcours.people.access import PersonAccess
from parcours.rules.french import agree

from .. import selectors, services
from ..access import AGENDA_ROLES, BOOKING_ROLES, appointment_door, may_change
from ..documents import day_agenda_pdf
from ..forms import DayForm
from ..models import Appointment, Place

RECEPTION_PATH = "/agenda/accueil/"


def back_to_reception(request: AuthedRequest, default: str) -> str:
    """Actions taken from the reception page go back to it (with its place and day)."""
    back = request.POST.get("next") or ""
    return back if back.startswith(RECEPTION_PATH) else default


@dataclass(frozen=True)
class Choice:
    form: DayForm
    place: Place | None = None
    day: date | None = None


def _choice(request: AuthedRequest) -> Choice:
    """The place (by default the one of the user's own antenna) and the day asked for; no day
    when the filters are invalid."""
    user = request.user
    places = selectors.places_for(user)
    form = DayForm(request.GET or None, places=places)
    if request.GET and not form.is_valid():
        return Choice(form)
    data = form.cleaned_data if request.GET else {}
    place = (
        data.get("place") or places.filter(organisation=user.organisation).first() or places.first()
    )
    day = data.get("day") or timezone.localdate()
    # The filter shows what is displayed: the place chosen by default and the day included.
    shown = DayForm(initial={"place": place.pk if place else None, "day": day}, places=places)
    return Choice(shown, place, day)


@allowed(roles=AGENDA_ROLES)
def reception(request: AuthedRequest) -> HttpResponse:
    choice = _choice(request)
    if choice.day is None:
        return render(
            request, "agenda/reception.html", {"title": "Accueil", "form": choice.form}, status=400
        )
    day = selectors.reception_day(request.user, choice.place, choice.day, screen="Accueil")
    return render(
        request,
        "agenda/reception.html",
        {
            "title": "Aujourd'hui à l'accueil",
            "form": choice.form,
            "place": choice.place,
            "day": choice.day,
            "reception": day,
        },
    )


@allowed(roles=AGENDA_ROLES)
def reception_pdf(request: AuthedRequest) -> HttpResponse:
    choice = _choice(request)
    if choice.day is None or choice.place is None:
        raise Http404("Aucun lieu à imprimer.")
    day = selectors.reception_day(
        request.user, choice.place, choice.day, screen="Impression de l'agenda"
    )
    pdf = day_agenda_pdf(choice.place, choice.day, day.appointments)
    return document(pdf, f"agenda-{choice.day:%Y-%m-%d}.pdf")


@appointment_door(roles=BOOKING_ROLES, methods=("POST",), allow=may_change)
def arrived(request: AuthedRequest, appointment: Appointment, access: PersonAccess) -> HttpResponse:
    try:
        services.mark_arrived(acting_user=request.user, appointment=appointment)
    except services.BookingRefused as refused:
        messages.error(request, str(refused))
    else:
        person = appointment.person
        arrived = agree(person.sex, "arrivé")
        messages.success(request, f"{person.last_name.upper()} est {arrived} à l'accueil.")
    return redirect(back_to_reception(request, reverse("agenda:reception")))
