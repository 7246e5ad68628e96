"""Attendance indicators and the délai de prise en charge."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from parcours.accounts.http import AuthedRequest
from parcours.core.db import statistics_reads
from parcours.core.doors import allowed

from .. import selectors
from ..access import AGENDA_ROLES

MIN_DAYS, MAX_DAYS = 7, 730


@allowed(roles=AGENDA_ROLES)
def indicators(request: AuthedRequest) -> HttpResponse:
    try:
        days = int(request.GET.get("jours") or 90)
    except ValueError:
        days = 0
    if not MIN_DAYS <= days <= MAX_DAYS:
        return render(
            request,
            "agenda/indicators.html",
            {"title": "Indicateurs", "error": "Choisissez une période entre 7 et 730 jours."},
            status=400,
        )
    with statistics_reads():
        context = selectors.indicators(request.user, days)
    return render(
        request, "agenda/indicators.html", {"title": "Indicateurs", "days": days, **context}
    )
