"""Recording manquements and their follow-up, journaled in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.core.locking import update_if_version
from parcours.measures.services import journal
from parcours.obligations.compliance import refresh_compliance
from parcours.people.models import Person

from .models import FOLLOWUP_FIELDS, Breach
from .selectors import fact_of, proposal_with


@transaction.atomic
def record_breach(*, acting_user: User, person: Person, breach: Breach) -> Breach:
    """Saves a manquement with the next step the rule proposes (the CPIP may choose another)."""
    proposal = proposal_with(person, fact_of(breach))
    breach.person = person
    breach.recorded_by = acting_user
    breach.proposed_step = proposal.step
    breach.proposal_explanation = proposal.explanation[:300]
    breach.proposal_rule = proposal.rule[:400]
    breach.chosen_step = proposal.step
    breach.save()
    if breach.obligation_id:
        refresh_compliance([person.pk])
    details = {"suite_proposee": proposal.step, "regle": proposal.rule_key}
    journal(AuditAction.CREATION, acting_user, breach, person, details=details)
    return breach


@transaction.atomic
def update_followup(
    *,
    acting_user: User,
    breach: Breach,
    data: dict[str, Any],
    expected_version: int,
) -> Breach:
    values = {
        name: data.get(name) or ("" if name != "followup_done_on" else None)
        for name in FOLLOWUP_FIELDS
    }
    update_if_version(Breach.objects.filter(pk=breach.pk), expected_version, **values)
    for name, value in values.items():
        setattr(breach, name, value)
    breach.version = expected_version + 1
    details = {"champs": list(FOLLOWUP_FIELDS)}
    journal(AuditAction.MODIFICATION, acting_user, breach, breach.person, details=details)
    return breach
