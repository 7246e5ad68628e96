"""Builders for the partners tests (synthetic data only): a directory entry for the cast's
partner, referrals in a given status, through the services where it matters."""

from __future__ import annotations

from datetime import date
from typing import Any

from parcours.accounts.models import Organisation
from parcours.partners.models import PartnerProfile, Referral, ReferralSession
from parcours.rules import referrals as rules
from parcours.rules.vocabulary import PartnerKind, ReferralStatus

KIND_OF_PARTNER = {
    "france_travail_emploi": PartnerKind.FRANCE_TRAVAIL,
    "mission_locale": PartnerKind.MISSION_LOCALE,
    "siao_hebergement": PartnerKind.SIAO,
    "csapa_soins": PartnerKind.CSAPA,
    "accompagnement_associatif": PartnerKind.ASSOCIATION,
    "tig": PartnerKind.TIG,
}


def profile_for(
    org: Organisation, spip: Organisation, kind: str = PartnerKind.FRANCE_TRAVAIL
) -> PartnerProfile:
    found = PartnerProfile.objects.filter(organisation=org).first()
    if found:
        return found
    return PartnerProfile.objects.create(
        organisation=org,
        spip=spip,
        partner_kind=kind,
        areas="59, 62",
        phone="03 20 00 00 00",
        email="contact@partenaire.invalid",
        accepted_kinds=[k.code for k in rules.KINDS],
    )


def make_referral(
    cast: Any,
    *,
    kind: str = "france_travail_emploi",
    status: str = ReferralStatus.ENVOYEE,
    person: Any = None,
    partner: Organisation | None = None,
    **fields: Any,
) -> Referral:
    person = person or cast.person
    partner = partner or cast.partner
    profile_for(partner, person.spip)
    values: dict[str, Any] = {
        "person": person,
        "partner": partner,
        "kind": kind,
        "reason": "Accompagnement vers l'emploi : premier rendez-vous à fixer.",
        "status": status,
        "created_by": cast.cpip,
        "measure": person.measures.order_by("pk").first(),
        "consent_given_on": date(2027, 3, 1),
        "consent_means": "oral",
        **fields,
    }
    return Referral.objects.create(**values)


def first_referral(cast: Any, person: Any = None) -> Referral:
    person = person or cast.person
    found = Referral.objects.filter(person=person).order_by("pk").first()
    return found or make_referral(cast, person=person)


def pending_tig_session(person: Any) -> Any:
    """Hours a host structure recorded on the person's TIG ledger, waiting for the CPIP."""
    from decimal import Decimal

    from parcours.ledgers.models import TigSession

    from ..ledgers.factories import first_tig_ledger

    ledger = first_tig_ledger(person)
    found = TigSession.objects.filter(ledger=ledger).order_by("pk").first()
    return found or TigSession.objects.create(
        ledger=ledger, day=date(2027, 3, 1), hours=Decimal("4"), pending=True
    )


def running_session(cast: Any, person: Any) -> ReferralSession:
    """A session the cast partner recorded on a running referral of `person` (no hours)."""
    referral = make_referral(cast, person=person, status=ReferralStatus.EN_COURS)
    return ReferralSession.objects.create(
        referral=referral, day=date(2027, 3, 15), attended=True, recorded_by=cast.partenaire
    )


def matrix_kwargs(name: str, cast: Any, person: Any) -> dict[str, Any]:
    """The identifiers of the partners URLs for the access matrix: the cast partner's entry in
    the cast SPIP's directory, a sent referral of `person` to it, a session of a running one."""
    if name in ("partners:inbox_session_edit", "partners:inbox_session_delete"):
        session = running_session(cast, person)
        return {"public_id": session.referral.public_id, "session_id": session.public_id}
    if name in ("partners:profile", "partners:profile_edit", "partners:agreement_add"):
        return {"public_id": profile_for(cast.partner, cast.spip).public_id}
    if name == "partners:referral_create":
        return {"person_id": person.public_id}
    if name in ("partners:directory", "partners:inbox", "partners:inbox_csv"):
        return {}
    return {"public_id": first_referral(cast, person).public_id}
