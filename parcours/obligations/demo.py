"""Demo obligations with a monthly proof (justificatifs) on measures in progress, the main CPIP's
people first, so that every compliance status shows."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from django.utils import timezone

from parcours.accounts.models import User
from parcours.measures.models import Measure, MeasureStatus
from parcours.rules.compliance import ObligationTerms, obligation_periods
from parcours.rules.measures import add_months

from .models import Obligation, ObligationType, Proof, ProofKind, ProofStatus

# Compliance scenarios of the demo obligations (monthly proofs), cycled so that even a small
# demo shows every status: (scenario, days since the due date of the last period without an
# accepted proof; None: every period so far is covered).
COMPLIANCE_SCENARIOS: list[tuple[str, tuple[int, int] | None]] = [
    ("a_jour", None),
    ("justificatif_attendu", (2, 12)),
    ("en_retard", (18, 28)),
    ("sans_justificatif", (35, 80)),
    ("a_jour", None),
]
# (obligation type code, parameters) of the demo obligations with a monthly proof.
DEMO_OBLIGATIONS = [
    ("cp_132_45_1", {"organisme": "Entreprise de transport du Nord"}),
    ("cp_132_45_3", {"nature": "suivi addictologique", "structure": "CSAPA de Lille"}),
    ("cp_132_45_1", {"organisme": "AFPA de Roubaix"}),
]

REFUSAL = "Attestation illisible, à fournir à nouveau."


class PlannedProof(NamedTuple):
    received_on: date
    covers_from: date
    covers_to: date
    status: str


def _scenario_start(
    rng: random.Random, today: date, late: tuple[int, int] | None
) -> tuple[date, date | None]:
    """A start date, and the due date of the monthly period that is `late` days overdue (the
    day after it is a day of month ≤ 28, so months add exactly), at least two periods back.
    Without `late`: any start, no overdue period."""
    if late is None:
        return today - timedelta(days=rng.randint(45, 300)), None
    days = [d for d in range(late[0], late[1] + 1) if (today - timedelta(days=d - 1)).day <= 28]
    due = today - timedelta(days=rng.choice(days))
    return add_months(due + timedelta(days=1), -rng.randint(2, 8)), due


def create_obligations(measures: Sequence[Measure], main_cpip: User, seed: int) -> int:
    """Monthly-proof obligations with justificatifs on measures in progress, the demo CPIP's
    people first, cycling through the compliance scenarios (own generator: the rest of the
    data does not change). Returns how many obligations were created."""
    rng = random.Random(seed + 2)
    today = timezone.localdate()
    types = {t.code: t for t in ObligationType.objects.current()}
    in_progress = [m for m in measures if m.status == MeasureStatus.EN_COURS and m.start_date]
    in_progress.sort(key=lambda m: (m.person.referent_id != main_cpip.pk, m.person_id, m.pk))
    seen: set[int] = set()
    chosen: list[Measure] = []
    for measure in in_progress:
        if measure.person_id in seen:
            continue
        seen.add(measure.person_id)
        if measure.person.referent_id == main_cpip.pk or rng.random() < 0.4:
            chosen.append(measure)
    obligations: list[Obligation] = []
    proof_plans: list[list[PlannedProof]] = []
    now = timezone.now()
    for position, measure in enumerate(chosen):
        scenario, late = COMPLIANCE_SCENARIOS[position % len(COMPLIANCE_SCENARIOS)]
        code, parameters = DEMO_OBLIGATIONS[position % len(DEMO_OBLIGATIONS)]
        kind = types[code]
        start, overdue = _scenario_start(rng, today, late)
        terms = ObligationTerms(start=start, cadence_months=1)
        plan: list[PlannedProof] = []
        periods = obligation_periods(terms, today)
        # The overdue period, and the later ones, have no accepted proof in the late scenarios.
        gap = next((i for i, p in enumerate(periods) if p.due == overdue), len(periods))
        for index, period in enumerate(periods):
            received = min(period.start + timedelta(days=rng.randint(3, 20)), today)
            if late is not None and index == gap:
                if scenario == "justificatif_attendu" and rng.random() < 0.5:
                    due = min(period.due, today)
                    plan.append(PlannedProof(due, period.start, period.end, ProofStatus.EN_ATTENTE))
                elif scenario == "en_retard":
                    plan.append(
                        PlannedProof(received, period.start, period.end, ProofStatus.REFUSE)
                    )
                continue
            if late is not None and index > gap:
                continue  # the period in progress: nothing handed in yet
            plan.append(PlannedProof(received, period.start, period.end, ProofStatus.ACCEPTE))
        obligations.append(
            Obligation(
                measure=measure,
                obligation_type=kind,
                parameters=parameters,
                start_date=start,
                imposed_on=min(start, measure.judgment_date),
                proof_type=kind.default_proof_type,
                cadence_months=1,
                created_by=main_cpip if measure.person.referent_id == main_cpip.pk else None,
            )
        )
        proof_plans.append(plan)
    Obligation.objects.bulk_create(obligations, batch_size=500)
    proofs: list[Proof] = []
    for obligation, plan in zip(obligations, proof_plans, strict=True):
        referent_id = obligation.measure.person.referent_id
        for planned in plan:
            decided = planned.status != ProofStatus.EN_ATTENTE
            proofs.append(
                Proof(
                    obligation=obligation,
                    kind=ProofKind.PAPIER,
                    **planned._asdict(),
                    decision_reason=REFUSAL if planned.status == ProofStatus.REFUSE else "",
                    decided_by_id=referent_id if decided else None,
                    decided_at=now if decided else None,
                    uploaded_by_id=referent_id,
                )
            )
    Proof.objects.bulk_create(proofs, batch_size=500)
    return len(obligations)
