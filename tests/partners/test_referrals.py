"""Referrals end to end: the CPIP creates and sends, the partner accepts, records sessions, ends
and uploads an attestation that lands as a justificatif; TIG hours wait for the CPIP's
validation; partners reach only their own sent referrals (404 otherwise); stale or forbidden
actions are refused (409, 400)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.ledgers.display import tig_card
from parcours.ledgers.models import TigSession
from parcours.obligations.models import Proof, ProofStatus
from parcours.partners.models import Referral
from parcours.rules.vocabulary import OrganisationKind, ReferralStatus

from ..conftest import Cast
from ..factories import OrganisationFactory, UserFactory
from ..helpers import file_tab, quiet, text
from ..ledgers.factories import first_tig_ledger, tig_measure
from ..obligations.factories import make_obligation, tiny_pdf, upload
from .factories import make_referral, profile_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def _act(client, referral: Referral, action: str, reason: str = "", *, partner: bool = True):
    name = "partners:inbox_action" if partner else "partners:referral_action"
    referral.refresh_from_db()
    return client.post(
        reverse(name, args=[referral.public_id]),
        {"action": action, "version": referral.version, "reason": reason},
    )


def test_the_whole_walk_with_an_attestation(cast: Cast) -> None:
    obligation = make_obligation(cast.person, "cp_132_45_1")
    profile = profile_for(cast.partner, cast.spip)
    cpip = quiet(cast.cpip)
    response = cpip.post(
        reverse("partners:referral_create", args=[cast.person.public_id]),
        {
            "kind": "france_travail_emploi",
            "partner": profile.pk,
            "obligation": obligation.pk,
            "reason": "Inscription et accompagnement renforcé.",
        },
    )
    assert response.status_code == 302, text(response)
    referral = Referral.objects.get(person=cast.person)
    assert referral.status == ReferralStatus.BROUILLON
    partner = quiet(cast.partenaire)
    # A draft does not exist for the partner.
    assert (
        partner.get(reverse("partners:inbox_detail", args=[referral.public_id])).status_code == 404
    )
    assert _act(cpip, referral, "envoyer", partner=False).status_code == 302
    assert (
        partner.get(reverse("partners:inbox_detail", args=[referral.public_id])).status_code == 200
    )
    assert _act(partner, referral, "accepter").status_code == 302
    response = partner.post(
        reverse("partners:inbox_session", args=[referral.public_id]),
        # Sent today (the suite's clock): a session of yesterday would predate the referral.
        {"day": "2027-03-16", "attended": "oui", "note": "Inscription faite."},
    )
    assert response.status_code == 302, text(response)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EN_COURS
    response = partner.post(
        reverse("partners:inbox_attestation", args=[referral.public_id]),
        {"received_on": "2027-03-15", "file": upload("attestation.pdf", tiny_pdf())},
    )
    assert response.status_code == 302, text(response)
    proof = Proof.objects.get(obligation=obligation)
    assert proof.status == ProofStatus.EN_ATTENTE
    assert proof.uploaded_by == cast.partenaire
    assert referral.attestations.get().proof == proof
    # The CPIP accepts it as any justificatif.
    response = cpip.post(
        reverse("obligations:proof_decide", args=[proof.public_id]), {"decision": "accepte"}
    )
    assert response.status_code == 302
    proof.refresh_from_db()
    assert proof.status == ProofStatus.ACCEPTE
    assert _act(partner, referral, "terminer", "Accompagnement mené à terme.").status_code == 302
    assert _act(cpip, referral, "cloturer", partner=False).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOTUREE
    assert referral.end_note == "Accompagnement mené à terme."


def test_consent_is_required_before_sending_where_the_kind_asks_it(cast: Cast) -> None:
    referral = make_referral(
        cast,
        kind="mission_locale",
        status=ReferralStatus.BROUILLON,
        consent_given_on=None,
        consent_means="",
    )
    response = _act(quiet(cast.cpip), referral, "envoyer", partner=False)
    assert response.status_code == 400
    assert "exige l'accord de la personne" in text(response)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.BROUILLON


def test_a_draft_without_consent_takes_it_with_the_sending(cast: Cast) -> None:
    """The draft's page asks for the consent on its "Envoyer" form (the draft is not typed
    again); both the date and the form are needed; then it is sent with them."""
    referral = make_referral(
        cast,
        kind="mission_locale",
        status=ReferralStatus.BROUILLON,
        consent_given_on=None,
        consent_means="",
    )
    client = quiet(cast.cpip)
    page = text(client.get(reverse("partners:referral", args=[referral.public_id])))
    assert 'name="consent_given_on"' in page and 'name="consent_means"' in page
    url = reverse("partners:referral_action", args=[referral.public_id])
    sending = {"action": "envoyer", "version": referral.version}
    half = client.post(url, {**sending, "consent_given_on": "2027-03-15"})
    assert half.status_code == 400
    assert "Indiquez à la fois la date et la forme de l'accord." in text(half)
    future = client.post(
        url, {**sending, "consent_given_on": "2027-04-15", "consent_means": "oral"}
    )
    assert future.status_code == 400
    sent = client.post(url, {**sending, "consent_given_on": "2027-03-15", "consent_means": "oral"})
    assert sent.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ENVOYEE
    assert (str(referral.consent_given_on), referral.consent_means) == ("2027-03-15", "oral")
    page = text(client.get(reverse("partners:referral", args=[referral.public_id])))
    assert 'name="consent_given_on"' not in page


def test_a_stale_action_is_a_conflict(cast: Cast) -> None:
    referral = make_referral(cast)
    response = quiet(cast.partenaire).post(
        reverse("partners:inbox_action", args=[referral.public_id]),
        {"action": "accepter", "version": referral.version + 5},
    )
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ENVOYEE


def test_forbidden_actions_are_refused_in_french(cast: Cast) -> None:
    referral = make_referral(cast)
    partner = quiet(cast.partenaire)
    # Closing is the SPIP's; declining needs a reason.
    assert _act(partner, referral, "cloturer").status_code == 400
    response = _act(partner, referral, "refuser", "")
    assert response.status_code == 400
    assert "motif" in text(response)
    assert _act(partner, referral, "refuser", "Hors de notre zone.").status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (
        ReferralStatus.REFUSEE,
        "Hors de notre zone.",
    )


def test_a_session_before_acceptance_is_refused(cast: Cast) -> None:
    referral = make_referral(cast)
    response = quiet(cast.partenaire).post(
        reverse("partners:inbox_session", args=[referral.public_id]),
        {"day": "2027-03-15", "attended": "oui"},
    )
    assert response.status_code == 400
    assert "doit être acceptée" in text(response)
    assert not referral.sessions.exists()


def test_tig_hours_wait_for_the_cpip_validation(cast: Cast) -> None:
    host = OrganisationFactory(kind=OrganisationKind.PARTENAIRE, name="Mairie de Lomme")
    host_user = UserFactory(username="tig.host", role="partenaire", organisation=host)
    ledger = first_tig_ledger(cast.person)
    referral = make_referral(
        cast,
        kind="tig",
        partner=host,
        status=ReferralStatus.ACCEPTEE,
        measure=tig_measure(cast.person),
    )
    response = quiet(host_user).post(
        reverse("partners:inbox_session", args=[referral.public_id]),
        {"day": "2027-03-15", "attended": "oui", "hours": "6"},
    )
    assert response.status_code == 302, text(response)
    session = TigSession.objects.get(ledger=ledger)
    assert session.pending and session.hours == Decimal("6")
    today = date(2027, 3, 16)
    ledger.refresh_from_db()
    card = tig_card(ledger, today)
    assert card.pending_sessions == [session]
    assert card.progress is None or card.progress.hours_done == 0
    # The CPIP sees them in the person file and validates them.
    cpip = quiet(cast.cpip)
    page = text(cpip.get(file_tab(cast.person, "registres")))
    assert "à valider" in page
    response = cpip.post(reverse("ledgers:tig_validate", args=[session.public_id]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert not session.pending and session.validated_by == cast.cpip
    card = tig_card(ledger, today)
    assert card.progress is not None and card.progress.hours_done == Decimal("6")
    # A second validation changes nothing and says so.
    again = cpip.post(reverse("ledgers:tig_validate", args=[session.public_id]), follow=True)
    assert "déjà validées" in text(again)
    # The host may not validate its own hours.
    assert (
        quiet(host_user).post(reverse("ledgers:tig_validate", args=[session.public_id])).status_code
        == 403
    )


def test_hours_are_refused_outside_a_tig_referral(cast: Cast) -> None:
    referral = make_referral(cast, status=ReferralStatus.EN_COURS)
    response = quiet(cast.partenaire).post(
        reverse("partners:inbox_session", args=[referral.public_id]),
        {"day": "2027-03-15", "attended": "oui", "hours": "3"},
    )
    # The field does not exist for this kind: ignored, the session has no hours.
    assert response.status_code == 302
    assert referral.sessions.get().hours is None


def test_another_partners_referral_does_not_exist(cast: Cast) -> None:
    other_org = OrganisationFactory(
        kind=OrganisationKind.PARTENAIRE, name="Mission locale de Roubaix"
    )
    other = UserFactory(username="ml", role="partenaire", organisation=other_org)
    referral = make_referral(cast)
    client = quiet(other)
    for name in ("partners:inbox_detail", "partners:inbox_session", "partners:inbox_attestation"):
        response = client.get(reverse(name, args=[referral.public_id]))
        assert response.status_code == 404, name
    assert (
        client.post(
            reverse("partners:inbox_action", args=[referral.public_id]),
            {"action": "accepter", "version": 1},
        ).status_code
        == 404
    )
    listing = text(client.get(reverse("partners:inbox")))
    assert "DURAND" not in listing
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ENVOYEE
    assert AuditEvent.objects.filter(actor=other, action=AuditAction.REFUS).exists()


def test_every_partner_access_is_journaled(cast: Cast) -> None:
    referral = make_referral(cast)
    client = quiet(cast.partenaire)
    before = AuditEvent.objects.count()
    client.get(reverse("partners:inbox"))
    client.get(reverse("partners:inbox_detail", args=[referral.public_id]))
    client.get(reverse("partners:inbox_csv"))
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == [
        AuditAction.CONSULTATION,
        AuditAction.CONSULTATION,
        AuditAction.EXPORT,
    ]
    assert events[1].person_public_id == cast.person.public_id
    assert all(e.actor_id == cast.partenaire.pk for e in events)
    assert str(referral.public_id) in events[0].details["orientations"]


def test_a_partner_list_filters_by_status_and_paginates(cast: Cast, settings) -> None:
    settings.PARCOURS_PAGE_SIZE = 2
    for status in (ReferralStatus.ENVOYEE, ReferralStatus.ENVOYEE, ReferralStatus.EN_COURS):
        make_referral(cast, status=status)
    make_referral(cast, status=ReferralStatus.BROUILLON)
    client = quiet(cast.partenaire)
    page = text(client.get(reverse("partners:inbox")))
    assert "Page suivante" in page
    running = client.get(reverse("partners:inbox"), {"status": "en_cours"})
    assert text(running).count("En cours") >= 1
    assert "Envoyée</span>" not in text(running)
    assert client.get(reverse("partners:inbox"), {"status": "brouillon"}).status_code == 400


def test_the_cpip_panel_lists_the_referrals(cast: Cast) -> None:
    make_referral(cast)
    page = text(quiet(cast.cpip).get(file_tab(cast.person, "orientations")))
    assert "Orientations" in page and "France Travail Lille" in page
    assert "Orienter vers un partenaire" in page


def test_the_partner_choice_is_narrowed_by_kind_and_area(cast: Cast) -> None:
    from parcours.rules.vocabulary import PartnerKind

    france_travail = profile_for(cast.partner, cast.spip)
    france_travail.accepted_kinds = ["france_travail_emploi"]
    france_travail.areas = "59"
    france_travail.save()
    siao_org = OrganisationFactory(kind=OrganisationKind.PARTENAIRE, name="SIAO du Nord")
    siao = profile_for(siao_org, cast.spip, PartnerKind.SIAO)
    siao.accepted_kinds = ["siao_hebergement"]
    siao.areas = "62"
    siao.save()
    url = reverse("partners:referral_create", args=[cast.person.public_id])
    client = quiet(cast.cpip)
    both = text(client.get(url))
    assert "France Travail Lille (" in both and "SIAO du Nord (" in both
    by_kind = text(client.get(url, {"accepts": "siao_hebergement"}))
    assert "SIAO du Nord (" in by_kind and "France Travail Lille (" not in by_kind
    by_area = text(client.get(url, {"area": "59"}))
    assert "France Travail Lille (" in by_area and "SIAO du Nord (" not in by_area
