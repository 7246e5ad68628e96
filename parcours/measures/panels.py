"""The person file's "Calendrier des mesures" panel: the person's incarceration periods, and
for each current measure its planned end with its computation, its suspensions and its legal
deadlines, each with « Pourquoi cette échéance ? » (rules/legal_deadlines.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch

from parcours.people.access import PersonAccess
from parcours.people.models import IncarcerationPeriod
from parcours.people.panels import SUIVI, person_file
from parcours.rules.legal_deadlines import STATUS_LABELS

from .models import Measure, MeasureSuspension
from .selectors import measure_reports


@person_file.panel(key="calendrier", title="Calendrier des mesures", order=15, tab=SUIVI)
def calendar(request: Any, access: PersonAccess) -> dict[str, Any]:
    person = access.person
    measures = list(
        Measure.objects.filter(person=person)
        .select_related("measure_type")
        .prefetch_related(
            Prefetch("suspensions", queryset=MeasureSuspension.objects.order_by("-start"))
        )
        .order_by("-judgment_date", "-pk")
    )
    reports = measure_reports(person)
    rows = [{"measure": m, "report": reports.get(m.pk)} for m in measures if m.is_current]
    return {
        # A period held by an écrou (detention app, reverse one-to-one "ecrou") follows the
        # detention record: it is edited there, not here (ecrou_pk set).
        "periods": list(
            IncarcerationPeriod.objects.filter(person=person)
            .annotate(ecrou_pk=F("ecrou__pk"))
            .order_by("-start")
        ),
        "rows": rows,
        "status_labels": STATUS_LABELS,
        "can_edit": access.can_edit_measures,
    }
