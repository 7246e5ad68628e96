"""Reads of the obligations app that the views and services need besides the doors: the
catalogue, and the dates an obligation of a measure must lie within."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from parcours.measures.models import Measure, MeasureSuspension
from parcours.people.models import IncarcerationPeriod
from parcours.rules.measures import obligation_dates_problem
from parcours.rules.timeline import (
    MeasureTimeline,
    Suspension,
    SuspensionReason,
    applicable_suspensions,
    planned_end,
)

from .models import ObligationType


def current_obligation_type(code: str) -> ObligationType | None:
    """The version in force of the catalogue's obligation type `code` (None if unknown)."""
    if not code:
        return None
    return ObligationType.objects.current().filter(code=code).first()


@dataclass(frozen=True)
class MeasureBounds:
    start: date  # the measure's start, its judgment when the start is not known
    end: date | None  # its planned end, suspensions included; None: not known (no bound)


def measure_bounds(measure: Measure) -> MeasureBounds:
    """The dates an obligation of `measure` must lie within (R-OBLIGATION-DATES; CP art. 132-43
    al. 1, CPP art. 739: obligations apply "au cours du délai de probation"). The end is the
    planned end of rules.timeline (probation pushed back by the person's incarcerations and the
    measure's suspensions), else the end date entered. Two queries."""
    start = measure.start_date or measure.judgment_date
    periods = tuple(
        Suspension(s, e, SuspensionReason.INCARCERATION)
        for s, e in IncarcerationPeriod.objects.filter(person_id=measure.person_id)
        .values_list("start", "end")
        .order_by()
    )
    own = tuple(
        Suspension(s, e, reason)
        for s, e, reason in MeasureSuspension.objects.filter(measure=measure)
        .values_list("start", "end", "reason")
        .order_by()
    )
    try:
        timeline = MeasureTimeline(
            measure_type=measure.measure_type.code,
            judgment=measure.judgment_date,
            execution_provisoire=measure.execution_provisoire,
            executoire_on=measure.executoire_on,
            final_on=measure.final_on,
            notified_on=measure.notified_on,
            start=measure.start_date,
            duration_months=measure.probation_months or None,
            end=measure.end_date,
            suspensions=own,
            person_periods=periods,
        )
    except ValueError:  # inconsistent dates entered: the dates as entered
        return MeasureBounds(start, measure.end_date)
    computed = planned_end(timeline)
    if computed.day is None and any(
        item.end is None for item, _ in applicable_suspensions(timeline).applied
    ):
        return MeasureBounds(start, None)  # a suspension is running: the end is not known yet
    return MeasureBounds(start, computed.day or measure.end_date)


def obligation_dates_error(measure: Measure, start: date, end: date | None) -> str | None:
    """French message when the obligation's dates fall outside its measure's, else None. A
    measure that has ended (ended_on: révocation, fin anticipée…) bounds its obligations too."""
    ended = measure.ended_on
    if ended is not None and start > ended:
        return f"L'obligation ne peut pas commencer après la fin de la mesure ({ended:%d/%m/%Y})."
    if ended is not None and end is not None and end > ended:
        return f"L'obligation ne peut pas se terminer après la fin de la mesure ({ended:%d/%m/%Y})."
    bounds = measure_bounds(measure)
    return obligation_dates_problem(start, end, measure_start=bounds.start, measure_end=bounds.end)
