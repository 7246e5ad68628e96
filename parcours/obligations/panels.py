"""The person file's "Mesures en cours" panel: the measures, their obligations and the
justificatifs of each (three queries: measures, obligations with their type, proofs)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from parcours.measures.models import Measure
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules.roles import HEALTH_OBLIGATIONS, HEALTH_READER_ROLES

from .access import FILE_READER_ROLES
from .models import Obligation, Proof


@person_file.panel(
    key="mesures", title="Mesures", template="obligations/panels/measures.html", order=20
)
def measures(request: Any, access: PersonAccess) -> dict[str, Any]:
    role = getattr(request.user, "role", None)
    obligations = Obligation.objects.select_related("obligation_type").prefetch_related(
        Prefetch("proofs", queryset=Proof.objects.order_by("-received_on", "-pk"))
    )
    rows = list(
        Measure.objects.filter(person=access.person)
        .select_related("measure_type", "tribunal")
        .prefetch_related(Prefetch("obligations", queryset=obligations))
        .order_by("-judgment_date", "-pk")
    )
    return {
        "current_measures": [m for m in rows if m.is_current],
        "past_measures": [m for m in rows if not m.is_current],
        "can_open_proofs": role in FILE_READER_ROLES,
        # Care obligations (R-HEALTH-PROOFS): their parameters and proofs' files are hidden
        # from the roles that may not read health data.
        "health_codes": [] if role in HEALTH_READER_ROLES else sorted(HEALTH_OBLIGATIONS),
    }
