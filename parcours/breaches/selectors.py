"""Reads of the manquements app: the next step proposed for a person, the measures and
obligations a manquement may concern, the duty of answering convocations."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from parcours.measures.models import CURRENT_STATUSES, Measure
from parcours.obligations.models import Obligation
from parcours.people.models import Person
from parcours.rules.breaches import BreachFact, Proposal, propose_next_step

from .models import Breach

# The control measure "répondre aux convocations" (CP art. 132-44 1°).
ANSWER_CONVOCATIONS = "cp_132_44_1"


def _facts(person: Person) -> list[BreachFact]:
    return [
        BreachFact(occurred_on=d, serious=s)
        for d, s in Breach.objects.filter(person=person).values_list("occurred_on", "serious")
    ]


def proposal_for(person: Person) -> Proposal | None:
    """The next step the rule proposes today for the person's manquements (None: none)."""
    return propose_next_step(_facts(person), timezone.localdate())


def proposal_with(person: Person, extra: BreachFact) -> Proposal:
    """The next step proposed once `extra`, the manquement being recorded, is added."""
    facts = [*_facts(person), extra]
    # The breach being recorded always counts, even when it is recorded more than a window late:
    # the window then ends on the day it occurred, and it is in it.
    proposal = propose_next_step(facts, timezone.localdate()) or propose_next_step(
        facts, extra.occurred_on
    )
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
