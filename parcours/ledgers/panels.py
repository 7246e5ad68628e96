"""The person file's "Registres" panel: TIG hours and victim compensation (CP 131-22,
132-45 5°): the person's current TIG measures and compensable measures (one query), then the
ledgers (display.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.obligations.models import Obligation
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file

from .display import COMPENSATION_CODE, compensation_ledgers_for, tig_ledgers_for


@person_file.panel(
    key="registres", title="Registres", template="ledgers/person_ledgers.html", order=30
)
def ledgers(request: Any, access: PersonAccess) -> dict[str, Any]:
    compensable = Exists(
        Obligation.objects.filter(
            measure_id=OuterRef("pk"), obligation_type__code=COMPENSATION_CODE
        )
    )
    measures = list(
        Measure.objects.filter(person=access.person, status__in=CURRENT_STATUSES)
        .annotate(compensable=compensable)
        .filter(Q(measure_type__code="tig") | Q(compensable=True))
        .select_related("measure_type")
        .order_by("-judgment_date", "-pk")
    )
    today = timezone.localdate()
    tig = [m for m in measures if m.measure_type.code == "tig"]
    return {
        **tig_ledgers_for(access.person, tig, today),
        **compensation_ledgers_for(access.person, [m for m in measures if m.compensable], today),
    }
