"""Writes of release preparation: open the plan ("Préparer la sortie", or the nightly N days
before), move its expected date, record what was done for each item, tick the first SPIP
appointment once the agenda holds one. Each write is one transaction with its journal row;
edits are versioned (core.locking: a stale form is refused with a 409)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.core.errors import Refused
from parcours.core.locking import update_if_version
from parcours.detention.models import Ecrou
from parcours.people.services import journal_details
from parcours.rules.release import (
    AUTO_PREPARE_DAYS,
    SPECS,
    DateSource,
    ItemStatus,
    due_on,
    plan_items,
)

from . import selectors
from .models import ReleaseItem, ReleasePlan

NO_DATE = (
    "Aucune date de libération prévisionnelle n'est connue pour cet écrou : "
    "indiquez la date retenue."
)
ALREADY = "La préparation à la sortie de cet écrou est déjà ouverte."
RELEASED = "Cette personne est déjà libérée : la préparation à la sortie n'est plus possible."
REASON_NEEDED = "Indiquez pourquoi cette démarche est sans objet."


@transaction.atomic
def prepare_release(
    actor: User | None, ecrou: Ecrou, *, expected_on: date | None = None
) -> ReleasePlan:
    """Opens the checklist of `ecrou`'s release, counting down to `expected_on` (a date the CPIP
    sets: "manuelle") or else to the computed release date (the situation pénale)."""
    if ecrou.released_on is not None:
        raise Refused(RELEASED)
    if ReleasePlan.objects.filter(ecrou=ecrou).exists():
        raise Refused(ALREADY)
    source = DateSource.MANUELLE
    if expected_on is None:
        situation = getattr(ecrou, "situation", None)
        expected_on = situation.release_date if situation is not None else None
        source = DateSource.SITUATION
    if expected_on is None:
        raise Refused(NO_DATE)
    follows = selectors.probation_follows(ecrou.person_id)
    plan = ReleasePlan.objects.create(
        person_id=ecrou.person_id,
        ecrou=ecrou,
        expected_on=expected_on,
        date_source=source,
        probation_follows=follows,
        created_by=actor,
    )
    # A planned item (rules.release.PlannedItem) holds exactly the item's fields.
    ReleaseItem.objects.bulk_create(
        ReleaseItem(plan=plan, **asdict(item))
        for item in plan_items(expected_on, probation_follows=follows)
    )
    journal_details(
        AuditAction.CREATION,
        actor,
        plan,
        ecrou.person,
        date_prevue=expected_on.isoformat(),
        origine=source,
        automatique=actor is None,
    )
    return plan


def _date_moved(actor: User | None, plan: ReleasePlan, previous: date, **details: Any) -> None:
    """Items still to do follow the plan's new expected date (their offset,
    rules.release.CHECKLIST); the move is journaled."""
    for item in plan.items.filter(status=ItemStatus.A_FAIRE):
        spec = SPECS.get(item.key)
        if spec is not None:
            ReleaseItem.objects.filter(pk=item.pk).update(
                due_on=due_on(plan.expected_on, spec.offset_days)
            )
    journal_details(
        AuditAction.MODIFICATION,
        actor,
        plan,
        plan.person,
        date_prevue=plan.expected_on.isoformat(),
        ancienne_date=previous.isoformat(),
        **details,
    )


def _item_journaled(actor: User | None, item: ReleaseItem, status: str, **details: Any) -> None:
    journal_details(
        AuditAction.MODIFICATION,
        actor,
        item,
        item.plan.person,
        demarche=item.key,
        etat=status,
        **details,
    )


@transaction.atomic
def set_expected_date(
    actor: User, plan: ReleasePlan, *, expected_on: date, expected_version: int | None
) -> ReleasePlan:
    """The CPIP sets the date the checklist counts down to (an adjustment granted, a date
    confirmed by the greffe); the items still to do move with it."""
    update_if_version(
        ReleasePlan.objects.filter(pk=plan.pk),
        expected_version,
        expected_on=expected_on,
        date_source=DateSource.MANUELLE,
    )
    previous = plan.expected_on
    plan.expected_on, plan.date_source = expected_on, DateSource.MANUELLE
    plan.version = (expected_version or 0) + 1
    _date_moved(actor, plan, previous)
    return plan


@dataclass(frozen=True)
class ItemChange:
    status: str
    reason: str = ""
    owner: str = ""
    owner_detail: str = ""
    done_on: date | None = None


@transaction.atomic
def update_item(
    actor: User, item: ReleaseItem, change: ItemChange, *, expected_version: int | None
) -> ReleaseItem:
    """Ticks an item (fait, with its date), sets it aside (sans objet, with a reason) or back
    to do; the owner may change with it."""
    reason = change.reason.strip()
    if change.status == ItemStatus.SANS_OBJET and not reason:
        raise Refused(REASON_NEEDED)
    done_on = None
    if change.status == ItemStatus.FAIT:
        done_on = change.done_on or timezone.localdate()
    values = {
        "status": change.status,
        "reason": reason if change.status == ItemStatus.SANS_OBJET else "",
        "done_on": done_on,
        "owner": change.owner or item.owner,
        "owner_detail": change.owner_detail.strip(),
        "updated_by": actor,
    }
    update_if_version(ReleaseItem.objects.filter(pk=item.pk), expected_version, **values)
    for name, value in values.items():
        setattr(item, name, value)
    item.version = (expected_version or 0) + 1
    _item_journaled(actor, item, item.status)
    return item


@transaction.atomic
def tick_first_appointments(
    actor: User | None = None, plan_ids: Iterable[int] | None = None
) -> int:
    """Marks "Premier rendez-vous au SPIP" done where the agenda holds an appointment on or after
    the expected release date; returns how many items were ticked."""
    today = timezone.localdate()
    ticked = 0
    for item in selectors.appointment_items_to_tick(plan_ids):
        changed = ReleaseItem.objects.filter(pk=item.pk, version=item.version).update(
            status=ItemStatus.FAIT,
            done_on=today,
            version=item.version + 1,
            updated_at=timezone.now(),
        )
        if changed:
            ticked += 1
            _item_journaled(actor, item, ItemStatus.FAIT, automatique=True)
    return ticked


@dataclass(frozen=True)
class NightlyResult:
    created: int
    moved: int
    ticked: int


def nightly(
    today: date | None = None,
    *,
    days: int = AUTO_PREPARE_DAYS,
    spip_ids: list[int] | None = None,
) -> NightlyResult:
    """Opens the checklists of releases due within `days`, moves the plans that follow the
    situation pénale to its new date, ticks the first appointments booked (for the people of
    `spip_ids`, when given). Idempotent."""
    today = today or timezone.localdate()
    created = 0
    ecrous = selectors.ecrous_to_prepare(today, days)
    plans = selectors.plans_following_situation()
    if spip_ids is not None:
        ecrous = ecrous.filter(person__spip_id__in=spip_ids)
        plans = plans.filter(person__spip_id__in=spip_ids)
    for ecrou in ecrous:
        try:
            prepare_release(None, ecrou)
        except Refused:
            continue
        created += 1
    moved = 0
    for plan in plans.select_related("ecrou__situation", "person"):
        with transaction.atomic():
            new = plan.ecrou.situation.release_date
            if new is None:  # the selector keeps dated situations only
                continue
            rows = ReleasePlan.objects.filter(pk=plan.pk, version=plan.version)
            if not rows.update(
                expected_on=new, version=plan.version + 1, updated_at=timezone.now()
            ):
                continue
            previous, plan.expected_on = plan.expected_on, new
            _date_moved(None, plan, previous, automatique=True)
            moved += 1
    plan_ids = None
    if spip_ids is not None:
        plan_ids = ReleasePlan.objects.filter(person__spip_id__in=spip_ids).values_list(
            "pk", flat=True
        )
    return NightlyResult(created, moved, tick_first_appointments(plan_ids=plan_ids))
