"""The person file's "Mesures en cours" panel: the measures, the obligations of the current ones
and the justificatifs of each (three queries at most: measures, obligations with their type,
proofs; the last two only when there is a current measure, then with obligations)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from parcours.core.panels import shared
from parcours.measures.models import Measure
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules.roles import HEALTH_OBLIGATIONS, may_read_health

from .access import FILE_READER_ROLES
from .models import Obligation, Proof


def person_measures(request: Any, access: PersonAccess) -> list[Measure]:
    """The person's measures, newest judgment first, with their type and tribunal; the current
    ones with their obligations (type joined) and justificatifs — the panels show no obligation
    of a past measure, and a person with none current pays no obligation query. Read once per
    request, shared by the measures panel and the ledgers panel (which picks the current TIG and
    compensable measures from them)."""

    def load() -> list[Measure]:
        rows = list(
            Measure.objects.filter(person_id=access.person.pk)
            .select_related("measure_type", "tribunal")
            # The columns the panels show (the wide rows cost more to compile than to run).
            .only(
                "public_id",
                "judgment_date",
                "start_date",
                "end_date",
                "probation_months",
                "milieu",
                "status",
                "measure_type__code",
                "measure_type__label",
                "measure_type__articles",
                "tribunal__name",
            )
            .order_by("-judgment_date", "-pk")
        )
        obligations = Obligation.objects.select_related("obligation_type").prefetch_related(
            Prefetch("proofs", queryset=Proof.objects.order_by("-received_on", "-pk"))
        )
        current = [m for m in rows if m.is_current]
        prefetch_related_objects(current, Prefetch("obligations", queryset=obligations))
        return rows

    rows: list[Measure] = shared(request, f"measures:{access.person.pk}", load)
    return rows


@person_file.panel(key="mesures", title="Mesures", order=20)
def measures(request: Any, access: PersonAccess) -> dict[str, Any]:
    role = getattr(request.user, "role", None)
    rows = person_measures(request, access)
    return {
        "current_measures": [m for m in rows if m.is_current],
        "past_measures": [m for m in rows if not m.is_current],
        "can_open_proofs": role in FILE_READER_ROLES,
        # Care obligations (R-HEALTH-PROOFS): their parameters and proofs' files are hidden
        # from the roles that may not read health data.
        "health_codes": (
            []
            if may_read_health(role, break_glass=access.is_break_glass)
            else sorted(HEALTH_OBLIGATIONS)
        ),
    }
