"""Reads of the partners app besides the doors: the directory's filters, the person file's
referrals, the partner's list and the choices of the referral form."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from parcours.measures.models import Measure
from parcours.obligations.models import Obligation
from parcours.people.models import Person

from .access import directory, partner_referrals
from .models import PartnerProfile, Referral


def filtered_directory(
    user: Any, *, q: str = "", kind: str = "", area: str = "", accepts: str = ""
) -> QuerySet[PartnerProfile]:
    rows = directory(user)
    if q:
        rows = rows.filter(Q(organisation__name__icontains=q) | Q(services__icontains=q))
    if kind:
        rows = rows.filter(partner_kind=kind)
    if area:
        rows = rows.filter(areas__icontains=area.strip())
    profiles = list(rows)
    if accepts:
        profiles = [p for p in profiles if accepts in p.accepted_kinds]
    if area:  # "59" must not match "159": compare the list
        profiles = [p for p in profiles if area.strip().upper() in p.area_list]
    return profiles  # type: ignore[return-value]


def person_referrals(person: Person) -> list[Referral]:
    """One query: the person's referrals with their partner."""
    return list(
        Referral.objects.filter(person=person)
        .select_related("partner")
        .order_by("-created_at", "-pk")
    )


def referral_form_choices(person: Person, *, kind: str = "", area: str = "") -> dict[str, Any]:
    """The partners of the person's SPIP directory (those accepting `kind`, covering `area`
    when given), the person's obligations and measures."""
    profiles = PartnerProfile.objects.filter(spip_id=person.spip_id).select_related("organisation")
    if kind or area:
        kept = [
            p.pk
            for p in profiles
            if (not kind or kind in p.accepted_kinds)
            and (not area or area.strip().upper() in p.area_list)
        ]
        profiles = profiles.filter(pk__in=kept)
    return {
        "profiles": profiles,
        "obligations": Obligation.objects.filter(measure__person=person).select_related(
            "obligation_type"
        ),
        "measures": Measure.objects.filter(person=person).select_related("measure_type"),
    }


def referral_history(referral: Referral) -> dict[str, Any]:
    return {
        "sessions": list(referral.sessions.all()),
        "attestations": list(referral.attestations.select_related("proof")),
    }


def partner_list(user: Any, status: str = "") -> QuerySet[Referral]:
    rows = (
        partner_referrals(user)
        .select_related("person", "obligation__obligation_type", "measure__tig_ledger")
        .prefetch_related("person__addresses")
        .order_by("-sent_at", "-pk")
    )
    if status:
        rows = rows.filter(status=status)
    return rows
