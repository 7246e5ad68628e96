"""À traiter: the legal deadlines of the user's people. Thin: the selector reads the list."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Role
from parcours.core.doors import allowed
from parcours.core.pagination import paginate, querystring_without_page
from parcours.measures.selectors import spip_today

from . import selectors
from .forms import TodoFilterForm
from .models import A_VENIR, DEPASSEE, IMMINENTE, with_urgency

TODO_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)


@allowed(roles=TODO_ROLES)
def todo(request: AuthedRequest) -> HttpResponse:
    """À traiter: the deadlines of the user's people (a CPIP: their caseload; encadrement: the
    SPIP, by referent), overdue first (most overdue first), then by due date."""
    user = request.user
    today = spip_today(user.service_timezone)
    form = TodoFilterForm(request.GET or None, user=user)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    found = selectors.todo(user, filters, today)
    page = paginate(request, found.alerts, count=found.total)
    page.object_list = with_urgency(page.object_list, today)
    counts = found.counts
    return render(
        request,
        "alerts/todo.html",
        {
            "title": "À traiter",
            "form": form,
            "page": page,
            "counts": [
                (DEPASSEE, "Dépassées", counts[DEPASSEE]),
                (IMMINENTE, "Imminentes", counts[IMMINENTE]),
                (A_VENIR, "À venir", counts[A_VENIR]),
            ],
            "total": sum(counts.values()),
            "querystring": querystring_without_page(request),
            "show_referent": user.role != Role.CPIP,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )
