"""Recording manquements and their follow-up, journaled in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.locking import update_if_version
from parcours.people.models import Person
from parcours.rules.breaches import BreachFact, propose_next_step

from .models import Breach


def proposal_for(person: Person, extra: BreachFact | None = None) -> Any:
    facts = [
        BreachFact(occurred_on=d, serious=s)
        for d, s in Breach.objects.filter(person=person).values_list("occurred_on", "serious")
    ]
    if extra is None:
        return propose_next_step(facts, timezone.localdate())
    facts.append(extra)
    # The breach being recorded always counts, even when it is recorded more than a window late:
    # the window then ends on the day it occurred.
    return propose_next_step(facts, timezone.localdate()) or propose_next_step(
        facts, extra.occurred_on
    )


@transaction.atomic
def record_breach(*, acting_user: User, person: Person, breach: Breach) -> Breach:
    """Saves a manquement with the next step the rule proposes (the CPIP may choose another)."""
    proposal = proposal_for(person, BreachFact(breach.occurred_on, breach.serious))
    breach.person = person
    breach.recorded_by = acting_user
    breach.proposed_step = proposal.step
    breach.proposal_explanation = proposal.explanation[:300]
    breach.chosen_step = proposal.step
    breach.save()
    if breach.obligation_id:
        from parcours.obligations.compliance import refresh_compliance

        refresh_compliance([person.pk])
    record(
        AuditAction.CREATION,
        actor=acting_user,
        obj=breach,
        person_public_id=person.public_id,
        spip_id=person.spip_id,
        details={"suite_proposee": proposal.step},
    )
    return breach


@transaction.atomic
def update_followup(
    *,
    acting_user: User,
    breach: Breach,
    data: dict[str, Any],
    expected_version: int,
) -> Breach:
    fields = ("chosen_step", "followup_status", "followup_done_on", "followup_note")
    values = {
        name: data.get(name) or ("" if name != "followup_done_on" else None) for name in fields
    }
    update_if_version(Breach.objects.filter(pk=breach.pk), expected_version, **values)
    for name, value in values.items():
        setattr(breach, name, value)
    breach.version = expected_version + 1
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=breach,
        person_public_id=breach.person.public_id,
        spip_id=breach.person.spip_id,
        details={"champs": list(fields)},
    )
    return breach
