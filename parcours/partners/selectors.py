"""Reads of the partners app besides the doors: the directory's filters, the person file's
referrals, the partner's list and the choices of the referral form."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from parcours.measures.models import Measure
from parcours.obligations.models import Obligation
from parcours.people.models import Person
from parcours.plans.models import Step
from parcours.plans.selectors import StepLink
from parcours.rules import referrals as rules

from .access import directory, partner_referrals
from .models import PartnerProfile, Referral, ReferralSession


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


def partner_session(referral: Referral, session_id: UUID) -> ReferralSession:
    """A session of `referral` (the referral opened by the partner's door), its TIG hours
    joined; a session of another referral, like an unknown one, is a 404."""
    found = (
        ReferralSession.objects.select_related("tig_session")
        .filter(referral=referral, public_id=session_id)
        .first()
    )
    if found is None:
        raise Http404("Séance introuvable.")
    return found


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


# --- Referrals from a plan step -----------------------------------------------------------------


def plan_step_of(person: Person, step_id: UUID) -> Step:
    """A step of one of `person`'s plans (goal, plan and partner joined); another person's
    step, like an unknown one, is a 404."""
    try:
        return Step.objects.select_related("goal__plan", "partner").get(
            public_id=step_id, goal__plan__person=person
        )
    except Step.DoesNotExist:
        raise Http404("Étape introuvable.") from None


def step_prefill(step: Step, choices: dict[str, Any]) -> dict[str, Any]:
    """The referral form's initial data for `step`: its partner (when in the directory), the
    kind the partner accepts when there is one, the obligation that kind serves when the person
    has exactly one, and the step's text as the message (the CPIP rereads it)."""
    initial: dict[str, Any] = {"reason": step.text}
    profile = next((p for p in choices["profiles"] if p.organisation_id == step.partner_id), None)
    if profile is None:
        return initial
    initial["partner"] = profile.pk
    kinds = [
        k for k in rules.kinds_for_partner(profile.partner_kind) if k.code in profile.accepted_kinds
    ] or [rules.BY_CODE[c] for c in profile.accepted_kinds if c in rules.BY_CODE]
    if len(kinds) != 1:
        return initial
    kind = kinds[0]
    initial["kind"] = kind.code
    served = [o for o in choices["obligations"] if o.obligation_type.code in kind.proof_obligations]
    if len(served) == 1:
        initial["obligation"] = served[0].pk
    return initial


def step_links(steps: list[Step]) -> dict[int, list[StepLink]]:
    """The referrals made from `steps`, or from the same steps in an earlier version of the plan
    (Step.lineage), with their status, for the plan's pages (one query;
    plans.selectors.attach_links, named on this app's AppConfig)."""
    by_lineage: dict[UUID, list[int]] = defaultdict(list)
    for step in steps:
        by_lineage[step.lineage].append(step.pk)
    rows = (
        Referral.objects.filter(plan_step__lineage__in=list(by_lineage))
        .select_related("partner")
        .annotate(step_lineage=F("plan_step__lineage"))
        .order_by("created_at", "pk")
    )
    links: dict[int, list[StepLink]] = defaultdict(list)
    for referral in rows:
        link = StepLink(
            label=f"Orientation vers {referral.partner.name}",
            status=referral.get_status_display(),
            url=reverse("partners:referral", args=[referral.public_id]),
        )
        for step_pk in by_lineage[referral.step_lineage]:
            links[step_pk].append(link)
    return links
