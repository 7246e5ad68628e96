"""Verb-first services of the adjustments app: the acting user first, plain data, one
transaction with its journal row; `Refused` (French) for what the rules do not accept,
`ConflictError` for a stale version."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import update_if_version
from parcours.detention import services as detention_services
from parcours.detention.models import Ecrou
from parcours.people.models import Person
from parcours.reports.models import Report
from parcours.reports.services import create_report
from parcours.rules import adjustments as rules
from parcours.rules.adjustments import Decision, ItemKind, MarkStatus, Review
from parcours.rules.detention import ReductionKind
from parcours.rules.vocabulary import ReportKind

from .models import AdjustmentMark, Commission, CommissionItem


def _changed(
    acting_user: User, obj: Any, object_type: str, person: Person, details: dict[str, Any]
) -> None:
    """Journals a modification of a mark, a commission's list or one of its lines."""
    record(
        AuditAction.MODIFICATION,
        actor=acting_user,
        obj=obj,
        object_type=object_type,
        person=person,
        details=details,
    )


# --- Marks ---------------------------------------------------------------------------------------


def set_mark(
    acting_user: User,
    person: Person,
    *,
    adjustment: str,
    status: str,
    reason: str = "",
    refusal: bool = False,
    expected_version: int | None = None,
) -> AdjustmentMark:
    """Creates or changes the (person, adjustment) mark. An existing mark changes only at
    `expected_version` (ConflictError otherwise). "Écarté" goes to the encadrement's review."""
    if adjustment not in rules.Adjustment.values:
        raise Refused("Aménagement inconnu.")
    reason = (reason or "").strip()
    problem = rules.mark_refusal(status, reason, refusal)
    if problem:
        raise Refused(problem)
    review = Review.A_REVOIR if status == MarkStatus.ECARTE else ""
    values = {
        "status": status,
        "reason": reason,
        "refusal": refusal,
        "marked_by": acting_user,
        "review": review,
    }
    with transaction.atomic():
        existing = (
            AdjustmentMark.objects.select_for_update()
            .filter(person=person, adjustment=adjustment)
            .first()
        )
        if existing is None:
            if expected_version not in (None, 0):
                raise ConflictError()
            mark = AdjustmentMark.objects.create(person=person, adjustment=adjustment, **values)
            action = AuditAction.CREATION
            before = ""
        else:
            before = existing.status
            # A new mark starts a new review: the previous one is cleared.
            update_if_version(
                AdjustmentMark.objects.filter(pk=existing.pk),
                expected_version,
                **values,
                reviewed_by=None,
                reviewed_at=None,
                review_note="",
            )
            mark = AdjustmentMark.objects.get(pk=existing.pk)
            action = AuditAction.MODIFICATION
        record(
            action,
            actor=acting_user,
            obj=mark,
            object_type="marque_amenagement",
            person=person,
            details={
                "amenagement": adjustment,
                "de": before,
                "vers": status,
                "refus": refusal,
            },
        )
    return mark


def review_mark(
    acting_user: User,
    mark: AdjustmentMark,
    *,
    confirm: bool,
    note: str = "",
    expected_version: int | None,
) -> AdjustmentMark:
    """The encadrement confirms an "écarté" mark or reopens the opportunity."""
    if acting_user.role not in ("dpip", "dfspip"):
        raise Refused("Seul l'encadrement revoit un aménagement écarté.")
    if mark.status != MarkStatus.ECARTE or mark.review != Review.A_REVOIR:
        raise Refused("Cet aménagement n'attend pas de revue.")
    note = (note or "").strip()
    if not confirm and not note:
        raise Refused("Indiquez pourquoi l'aménagement est rouvert.")
    values: dict[str, Any] = {
        "reviewed_by": acting_user,
        "reviewed_at": timezone.now(),
        "review_note": note,
    }
    if confirm:
        values["review"] = Review.CONFIRME
    else:
        values.update(review="", status=MarkStatus.ROUVERT, refusal=False)
    with transaction.atomic():
        update_if_version(
            AdjustmentMark.objects.filter(pk=mark.pk, status=MarkStatus.ECARTE),
            expected_version,
            **values,
        )
        current = AdjustmentMark.objects.select_related("person").get(pk=mark.pk)
        _changed(
            acting_user,
            current,
            "marque_amenagement",
            current.person,
            {"amenagement": current.adjustment, "revue": "confirme" if confirm else "rouvert"},
        )
    return current


# --- Commissions ---------------------------------------------------------------------------------


def create_commission(
    acting_user: User, *, establishment: Organisation, held_on: date, members: str = ""
) -> Commission:
    if acting_user.role not in ("dpip", "dfspip") or acting_user.spip_id is None:
        raise Refused("Seul l'encadrement du SPIP organise une commission.")
    if (
        establishment.kind != OrganisationKind.ETABLISSEMENT
        or establishment.spip_id != acting_user.spip_id
    ):
        raise Refused("Choisissez un établissement de votre SPIP.")
    with transaction.atomic():
        commission = Commission.objects.create(
            spip_id=acting_user.spip_id,
            establishment=establishment,
            held_on=held_on,
            members=(members or "").strip(),
            created_by=acting_user,
        )
        record(
            AuditAction.CREATION,
            actor=acting_user,
            obj=commission,
            object_type="commission",
            spip_id=commission.spip_id,
            details={"date": held_on.isoformat(), "etablissement": establishment.pk},
        )
    return commission


def add_to_commission(
    acting_user: User,
    commission: Commission,
    *,
    person: Person,
    kind: str,
    adjustment: str = "",
) -> CommissionItem:
    """Puts a person on the list (last), for one reason; an aménagement names its adjustment."""
    if kind not in ItemKind.values:
        raise Refused("Objet d'examen inconnu.")
    if kind == ItemKind.AMENAGEMENT and adjustment not in rules.Adjustment.values:
        raise Refused("Choisissez l'aménagement proposé.")
    if kind != ItemKind.AMENAGEMENT:
        adjustment = ""
    if person.spip_id != commission.spip_id:
        raise Refused("Cette personne ne relève pas de ce SPIP.")
    try:
        with transaction.atomic():
            Commission.objects.select_for_update().get(pk=commission.pk)
            top = commission.items.aggregate(top=Max("rank"))["top"] or 0
            item = CommissionItem.objects.create(
                commission=commission,
                person=person,
                kind=kind,
                adjustment=adjustment,
                rank=top + 1,
            )
            _changed(
                acting_user,
                commission,
                "commission",
                person,
                {"ajout": kind, "amenagement": adjustment},
            )
    except IntegrityError:
        raise Refused(
            "Cette personne est déjà inscrite à cette commission pour ce motif."
        ) from None
    return item


def remove_from_commission(acting_user: User, item: CommissionItem) -> None:
    if item.decision:
        raise Refused("La décision est enregistrée : l'inscription ne peut plus être retirée.")
    with transaction.atomic():
        _changed(
            acting_user,
            item.commission,
            "commission",
            item.person,
            {"retrait": item.kind, "amenagement": item.adjustment},
        )
        item.delete()


def move_item(acting_user: User, item: CommissionItem, *, up: bool) -> None:
    """Swaps the item with its neighbour above (`up`) or below."""
    with transaction.atomic():
        Commission.objects.select_for_update().get(pk=item.commission_id)
        items = list(
            CommissionItem.objects.filter(commission_id=item.commission_id).order_by("rank", "pk")
        )
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(items):
            return
        items[index], items[other_index] = items[other_index], items[index]
        for rank, row in enumerate(items, start=1):
            if row.rank != rank:
                CommissionItem.objects.filter(pk=row.pk).update(rank=rank)
        _changed(
            acting_user,
            item.commission,
            "commission",
            item.person,
            {"ordre": "monter" if up else "descendre"},
        )


def prepare_avis(acting_user: User, item: CommissionItem) -> Report:
    """The SPIP's avis on the item: a report of kind avis_cap (the existing pipeline: draft,
    submission, validation by the encadrement, DOCX/PDF), prefilled from the detention record,
    linked to the item. An existing avis is returned as is."""
    with transaction.atomic():
        # FOR UPDATE OF the line only: PostgreSQL refuses it on the nullable side of the join.
        current = (
            CommissionItem.objects.select_for_update(of=("self",))
            .select_related("avis")
            .get(pk=item.pk)
        )
        if current.avis is not None:
            return current.avis
        # The referent CPIP writes the avis and the encadrement validates it (a rédacteur never
        # validates their own report): a draft opened by the DPIP is the referent's to write.
        referent = item.person.referent
        report = create_report(
            acting_user=acting_user,
            person=item.person,
            kind=ReportKind.AVIS_CAP,
            due_date=item.commission.held_on,
            author=referent if referent is not None and referent.is_active else None,
        )
        CommissionItem.objects.filter(pk=item.pk).update(avis=report, updated_at=timezone.now())
    item.avis = report
    return report


def record_decision(
    acting_user: User,
    item: CommissionItem,
    *,
    decision: str,
    note: str = "",
    months: int = 0,
    days: int = 0,
    expected_version: int | None,
) -> CommissionItem:
    """The decision taken on the item after the commission. A reduction granted is recorded on
    the person's open écrou through detention.services.record_reduction (dated the commission's
    day), which recomputes the sentence dates once the transaction commits."""
    if decision not in Decision.values:
        raise Refused("Choisissez la décision : accordé, refusé ou ajourné.")
    if item.commission.held_on > timezone.localdate():
        raise Refused("La décision s'enregistre après la commission.")
    months, days = int(months or 0), int(days or 0)
    granted_reduction = item.kind == ItemKind.REDUCTION and decision == Decision.ACCORDE
    if granted_reduction and months <= 0 and days <= 0:
        raise Refused("Indiquez la durée de la réduction accordée (mois et/ou jours).")
    if not granted_reduction:
        months = days = 0
    with transaction.atomic():
        update_if_version(
            CommissionItem.objects.filter(pk=item.pk),
            expected_version,
            decision=decision,
            decision_note=(note or "").strip(),
            reduction_months=months,
            reduction_days=days,
            decided_by=acting_user,
            decided_at=timezone.now(),
        )
        if granted_reduction:
            ecrou = (
                Ecrou.objects.filter(person=item.person, released_on__isnull=True)
                .order_by("-start", "-pk")
                .first()
            )
            if ecrou is None:
                raise Refused("Aucun écrou en cours : la réduction ne peut pas être enregistrée.")
            detention_services.record_reduction(
                acting_user,
                ecrou,
                kind=ReductionKind.RP,
                granted_on=item.commission.held_on,
                months=months,
                days=days,
                note=f"CAP du {item.commission.held_on:%d/%m/%Y}",
            )
        current = CommissionItem.objects.select_related("commission", "person").get(pk=item.pk)
        _changed(
            acting_user,
            current,
            "inscription_cap",
            current.person,
            {
                "decision": decision,
                "objet": current.kind,
                "amenagement": current.adjustment,
                "reduction_mois": months,
                "reduction_jours": days,
            },
        )
    return current
