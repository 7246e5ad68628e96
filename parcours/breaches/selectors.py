"""Reads of the manquements app: the next step proposed for each current measure (counted per
measure, R-BREACHES), the measures and obligations a manquement may concern, the duty of
answering convocations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.obligations.models import Obligation
from parcours.people.models import Person
from parcours.rules.breaches import BreachFact, Proposal, propose_next_step

from .models import Breach

# The control measure "répondre aux convocations" (CP art. 132-44 1°).
ANSWER_CONVOCATIONS = "cp_132_44_1"


def fact_of(breach: Breach) -> BreachFact:
    """The pure breach of a row (its obligation's type read through `obligation__obligation_type`,
    select_related by the callers)."""
    code = breach.obligation.obligation_type.code if breach.obligation else ""
    return BreachFact(
        breach.occurred_on, breach.serious, breach.kind, code, measure=breach.measure_id
    )


def _facts(person: Person, measure_id: int | None = None) -> list[BreachFact]:
    """The breaches of the person's current measures (of `measure_id` when given): breaches of
    closed measures never count (R-BREACHES)."""
    rows = Breach.objects.filter(person=person, measure__status__in=CURRENT_STATUSES)
    if measure_id is not None:
        rows = rows.filter(measure_id=measure_id)
    return [
        BreachFact(day, serious, kind, code or "", measure=measure)
        for day, serious, kind, code, measure in rows.values_list(
            "occurred_on", "serious", "kind", "obligation__obligation_type__code", "measure_id"
        ).order_by()
    ]


@dataclass(frozen=True)
class MeasureProposal:
    """The next step proposed for one current measure's manquements."""

    measure: Measure
    proposal: Proposal


def proposals_from(breaches: Iterable[Breach], today: date | None = None) -> list[MeasureProposal]:
    """One proposal per current measure that has manquements in the window, counted per
    measure (R-BREACHES); `breaches` carry their measure (select_related)."""
    today = today or timezone.localdate()
    by_measure: dict[int, Measure] = {}
    facts: list[BreachFact] = []
    for breach in breaches:
        if breach.measure.status not in CURRENT_STATUSES:
            continue
        by_measure.setdefault(breach.measure_id, breach.measure)
        facts.append(fact_of(breach))
    found = []
    for measure_id, measure in by_measure.items():
        proposal = propose_next_step(facts, today, measure=measure_id)
        if proposal is not None:
            found.append(MeasureProposal(measure, proposal))
    return found


def proposals_for(person: Person) -> list[MeasureProposal]:
    """The next step the rule proposes today for each current measure's manquements."""
    rows = Breach.objects.filter(
        person=person, measure__status__in=CURRENT_STATUSES
    ).select_related("measure__measure_type", "obligation__obligation_type")
    return proposals_from(rows)


def proposal_with(person: Person, extra: BreachFact) -> Proposal:
    """The next step proposed once `extra`, the manquement being recorded, is added to the
    manquements of its measure (`extra.measure`)."""
    measure_id = extra.measure if isinstance(extra.measure, int) else None
    facts = [*_facts(person, measure_id), extra]
    # The breach being recorded always counts, even when it is recorded more than a window late:
    # the window then ends on the day it occurred, and it is in it.
    proposal = propose_next_step(
        facts, timezone.localdate(), measure=extra.measure
    ) or propose_next_step(facts, extra.occurred_on, measure=extra.measure)
    if proposal is None:
        raise ValueError(f"No next step for a manquement of {extra.occurred_on}.")
    return proposal


def current_measures(person: Person) -> QuerySet[Measure]:
    return Measure.objects.filter(person=person, status__in=CURRENT_STATUSES).select_related(
        "measure_type"
    )


def obligations_of(measures: QuerySet[Measure]) -> QuerySet[Obligation]:
    return Obligation.objects.filter(measure__in=measures).select_related("obligation_type")


def answer_convocations_duty(person: Person, measure_id: int | None) -> tuple[int, int] | None:
    """The person's obligation to answer convocations (of `measure_id` when given, else of the
    latest judged measure) as (its pk, its measure's pk): a missed appointment recorded on it
    feeds that obligation's compliance status."""
    duties = Obligation.objects.filter(
        measure__person=person, obligation_type__code=ANSWER_CONVOCATIONS
    )
    if measure_id:
        duties = duties.filter(measure_id=measure_id)
    return duties.order_by("-measure__judgment_date").values_list("pk", "measure_id").first()
