"""Builders for the measure's timeline records (synthetic data only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from parcours.measures.models import MeasureSuspension
from parcours.people.models import IncarcerationPeriod


def ongoing_incarceration(person: Any) -> IncarcerationPeriod:
    found = IncarcerationPeriod.objects.filter(person=person, end__isnull=True).first()
    return found or IncarcerationPeriod.objects.create(
        person=person, start=date(2026, 11, 2), establishment="Centre pénitentiaire de Lille"
    )


def first_suspension(person: Any) -> MeasureSuspension:
    measure = person.measures.order_by("pk").first()
    found = MeasureSuspension.objects.filter(measure=measure).first()
    return found or MeasureSuspension.objects.create(
        measure=measure,
        start=date(2026, 4, 1),
        end=date(2026, 4, 15),
        reason="motif_grave",
        source="ordonnance du JAP du 30/03/2026",
    )
