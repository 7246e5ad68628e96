"""Demo manquements on the main CPIP's people: one, two and three in the last 12 months, so that
each proposed next step (rappel, convocation, rapport d'incident) shows. A missing justificatif
is recorded on the measure's obligation with a periodic proof when it has one, so that the
demo shows a *manquement* recorded by the CPIP beside the automatic *justificatif manquant*."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from parcours.accounts.models import User
from parcours.measures.models import Measure, MeasureStatus
from parcours.obligations.models import Obligation

from .models import Breach, BreachKind, FollowUpStatus, NextStep

BREACH_FACTS = [
    (BreachKind.ABSENCE, "Absent à la convocation du SPIP, sans justificatif."),
    (BreachKind.JUSTIFICATIF, "Attestation de soins du mois non remise malgré le rappel."),
    (BreachKind.INTERDICTION, "Présence signalée dans la zone interdite par la gendarmerie."),
]


def create_breaches(measures: Sequence[Measure], main_cpip: User, seed: int) -> int:
    """Manquements on nine measures in progress (see the module's docstring); returns how many."""
    rng = random.Random(seed + 7)
    today = timezone.localdate()
    running = [m for m in measures if m.status == MeasureStatus.EN_COURS]
    # cpip.demo's people first; others of the same SPIP when a small demo gives them fewer than 9.
    current = [m for m in running if m.person.referent_id == main_cpip.pk] + [
        m
        for m in running
        if m.person.referent_id not in (None, main_cpip.pk)
        and m.person.spip_id == main_cpip.spip_id
    ]
    chosen = current[:9]
    proved = dict(
        Obligation.objects.filter(measure__in=chosen, cadence_months__gt=0)
        .order_by("pk")
        .values_list("measure_id", "pk")
    )
    breaches: list[Breach] = []
    for index, measure in enumerate(chosen):
        count = index % 3 + 1
        for n in range(count):
            kind, facts = BREACH_FACTS[(index + n) % len(BREACH_FACTS)]
            step = [NextStep.RAPPEL, NextStep.CONVOCATION, NextStep.RAPPORT_INCIDENT][n]
            on_obligation = kind == BreachKind.JUSTIFICATIF and measure.pk in proved
            breaches.append(
                Breach(
                    person=measure.person,
                    measure=measure,
                    obligation_id=proved[measure.pk] if on_obligation else None,
                    kind=kind,
                    occurred_on=today
                    - timedelta(days=rng.randint(2, 6) if on_obligation else rng.randint(5, 300)),
                    facts=facts,
                    proposed_step=step,
                    chosen_step=step,
                    followup_status=FollowUpStatus.FAIT
                    if n < count - 1
                    else FollowUpStatus.A_FAIRE,
                    followup_done_on=today - timedelta(days=2) if n < count - 1 else None,
                )
            )
    Breach.objects.bulk_create(breaches)
    return len(breaches)
