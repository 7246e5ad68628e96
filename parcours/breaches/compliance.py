"""What the manquements bring to the compliance of obligations (obligations.compliance, which
sits below this app and calls `latest_by_obligation` through `Config.obligation_breach_dates`)."""

from __future__ import annotations

from datetime import date

from django.db.models import Max

from parcours.core import bulk

from .models import Breach


def latest_by_obligation(people: bulk.Chunk, today: date) -> dict[int, date]:
    """For the chunk's people, the date of the latest manquement recorded on each obligation, on
    or before `today` (one query)."""
    breaches = Breach.objects.filter(people.of("person__pk")).filter(
        obligation__isnull=False, occurred_on__lte=today
    )
    return dict(
        breaches.values("obligation_id")
        .annotate(last=Max("occurred_on"))
        .values_list("obligation_id", "last")
        .order_by()
    )
