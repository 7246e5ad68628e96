"""The person file's "Mesures en cours" panel: the measures, the obligations of the current ones
and the justificatifs of each (three queries at most: measures, obligations with their type,
proofs; the last two only when there is a current measure, then with obligations). The three
reads are prepared (core.prepared): their SQL is compiled once per process."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple

from django.db.models import QuerySet

from parcours.core.panels import shared
from parcours.core.prepared import prepared
from parcours.measures.models import Measure
from parcours.measures.selectors import current_expected_ends
from parcours.people.access import PersonAccess
from parcours.people.panels import person_file
from parcours.rules.compliance import worst_status
from parcours.rules.measures import CURRENT_STATUSES
from parcours.rules.roles import HEALTH_OBLIGATIONS, may_read_health

from .access import FILE_READER_ROLES
from .models import Obligation, Proof


class ShownObligation(NamedTuple):
    obligation: Obligation
    proofs: list[Proof]  # newest first


class ShownMeasure(NamedTuple):
    measure: Measure
    obligations: list[ShownObligation]  # a past measure's: none (the panels do not show them)
    compliance: str  # worst stored status of its followed obligations; "" when none is followed


@prepared
def measures_of(*, person_id: int) -> QuerySet[Measure]:
    """The person's measures, newest judgment first, with the columns the panels show (the
    wide rows cost more to compile than to run)."""
    return (
        Measure.objects.filter(person_id=person_id)
        .select_related("measure_type", "tribunal")
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


@prepared
def current_obligations_of(*, person_id: int) -> QuerySet[Obligation]:
    """The obligations of the person's current measures, their type joined, in the type's order."""
    return Obligation.objects.filter(
        measure__person_id=person_id, measure__status__in=CURRENT_STATUSES
    ).select_related("obligation_type")


@prepared
def current_proofs_of(*, person_id: int) -> QuerySet[Proof]:
    """The justificatifs of those obligations, newest first."""
    return Proof.objects.filter(
        obligation__measure__person_id=person_id,
        obligation__measure__status__in=CURRENT_STATUSES,
    ).order_by("-received_on", "-pk")


def _shown(measures: list[Measure], person_id: int) -> list[ShownMeasure]:
    obligations: dict[int, list[ShownObligation]] = defaultdict(list)
    if any(m.is_current for m in measures):
        rows = current_obligations_of(person_id=person_id)
        proofs: dict[int, list[Proof]] = defaultdict(list)
        for proof in current_proofs_of(person_id=person_id) if rows else []:
            proofs[proof.obligation_id].append(proof)
        for obligation in rows:
            shown = ShownObligation(obligation, proofs[obligation.pk])
            obligations[obligation.measure_id].append(shown)
    result = []
    for measure in measures:
        mine = obligations[measure.pk] if measure.is_current else []
        statuses = [o.compliance_status for o, _ in mine if o.compliance_status]
        result.append(ShownMeasure(measure, mine, worst_status(statuses) if statuses else ""))
    return result


def person_measures(request: Any, access: PersonAccess) -> list[ShownMeasure]:
    """The person's measures, newest judgment first, with their type and tribunal; the current
    ones with their obligations (type joined) and justificatifs — the panels show no obligation
    of a past measure, and a person with none current pays no obligation query. Read once per
    request, shared by the measures panel and the ledgers panel (which picks the current TIG and
    compensable measures from them)."""
    person_id = access.person.pk

    def load() -> list[ShownMeasure]:
        return _shown(measures_of(person_id=person_id), person_id)

    rows: list[ShownMeasure] = shared(request, f"measures:{person_id}", load)
    return rows


@person_file.panel(key="mesures", title="Mesures", order=20)
def measures(request: Any, access: PersonAccess) -> dict[str, Any]:
    role = getattr(request.user, "role", None)
    rows = person_measures(request, access)
    current = [row for row in rows if row.measure.is_current]
    if current:
        # The end the calendar computes (measures.selectors.expected_ends), not the date typed.
        ends = current_expected_ends(access.person.pk)
        for row in current:
            row.measure.expected_end = ends.get(row.measure.pk)
    return {
        "current_measures": current,
        "past_measures": [row.measure for row in rows if not row.measure.is_current],
        "can_open_proofs": role in FILE_READER_ROLES,
        # Care obligations (R-HEALTH-PROOFS): their parameters and proofs' files are hidden
        # from the roles that may not read health data.
        "health_codes": (
            []
            if may_read_health(role, break_glass=access.is_break_glass)
            else sorted(HEALTH_OBLIGATIONS)
        ),
    }
