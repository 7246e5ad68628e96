"""The measure catalogue, read-only: what the caseload weighting of "Mon équipe" refers to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parcours.core.doors import allowed
from parcours.rules.roles import COURT_ROLES, SPIP_STAFF_ROLES

from .models import MeasureType

# Reference data (law and service parameters), no person: every role reading files may see it.
CATALOGUE_ROLES = (*SPIP_STAFF_ROLES, *COURT_ROLES)


@allowed(roles=CATALOGUE_ROLES)
def measure_types(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/measure_types.html",
        {
            "title": "Catalogue des mesures",
            "types": MeasureType.objects.current().order_by("sort_order", "label"),
        },
    )
