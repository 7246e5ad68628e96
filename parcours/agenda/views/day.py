"""The day of one agenda: its slots and appointments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed

from .. import selectors
from ..access import AGENDA_ROLES, BOOKING_ROLES, SETUP_ROLES
from ..forms import DayForm


@allowed(roles=AGENDA_ROLES)
def day_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    # The select's options and the default agenda (the user's own, else the first): cached.
    listed = selectors.listed_day_agendas(user)
    data: dict[str, Any] = {}
    if request.GET:
        # A submitted agenda is checked against the user's agendas (one query).
        form = DayForm(request.GET, agendas=selectors.day_agendas(user), listed=listed)
        if not form.is_valid():
            context = {"title": "Agenda", "form": form}
            return render(request, "agenda/day.html", context, status=400)
        data = form.cleaned_data
    day = data.get("day") or timezone.localdate()
    own = next((a for a in listed if a.agent_id == user.pk), None)
    agenda = data.get("agenda") or own or next(iter(listed), None)
    rows = selectors.day_rows(user, agenda, day) if agenda is not None else []
    # The filter shows what is displayed: the day and the agenda chosen by default included.
    form = DayForm(initial={"day": day, "agenda": agenda.pk if agenda else None}, listed=listed)
    return render(
        request,
        "agenda/day.html",
        {
            "title": "Agenda",
            "form": form,
            "agenda": agenda,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "rows": rows,
            "can_setup": user.role in SETUP_ROLES,
            "can_book_slots": user.role in BOOKING_ROLES,
            "now": timezone.now(),
        },
    )
