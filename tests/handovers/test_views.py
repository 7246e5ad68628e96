"""Dessaisissement pages: the panel and the request from the person file, the list, one
handover and its decision, the withdrawal; who sees what (ADR 0032)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditAction, AuditEvent
from parcours.handovers.models import Handover
from parcours.people.models import Person
from parcours.rules.vocabulary import HandoverStatus, OrganisationKind, Role
from tests.factories import OrganisationFactory, UserFactory

from ..helpers import file_tab, quiet, text
from .factories import incoming_handover

pytestmark = pytest.mark.django_db


def _detail(handover: Handover) -> str:
    return reverse("handovers:detail", args=[handover.public_id])


def test_the_referent_asks_from_the_file_and_the_file_stays(cast, clients):
    panel = text(clients["cpip"].get(file_tab(cast.person, "changement-spip")))
    assert "Dessaisir au profit d'un autre SPIP" in panel
    url = reverse("handovers:request", args=[cast.person.public_id])
    form = text(clients["cpip"].get(url))
    assert "SPIP de La Réunion" in form
    assert f'<option value="{cast.spip.pk}"' not in form  # not its own SPIP
    response = clients["cpip"].post(
        url,
        {
            "to_spip": cast.other_spip.pk,
            "reason": "Installation à Saint-Denis chez sa mère.",
            "new_address": "5 rue de Paris, 97400 Saint-Denis",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#changement-spip")
    handover = Handover.objects.get(person=cast.person)
    assert (handover.status, handover.requested_by) == (HandoverStatus.EN_ATTENTE, cast.cpip)
    assert Person.objects.get(pk=cast.person.pk).spip == cast.spip
    panel = text(clients["cpip"].get(file_tab(cast.person, "changement-spip")))
    assert "En attente" in panel and "Dessaisir au profit" not in panel


def test_a_request_with_bad_data_answers_400_in_french(cast, clients):
    url = reverse("handovers:request", args=[cast.person.public_id])
    response = clients["cpip"].post(
        url, {"to_spip": cast.other_spip.pk, "reason": "x", "jap_order_on": "2099-01-01"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Précisez le motif (au moins 5 caractères)." in page
    assert "Une ordonnance ne peut pas être datée d'un jour à venir." in page
    response = clients["cpip"].post(url, {"to_spip": "999999", "reason": "Déménagement."})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    assert not Handover.objects.filter(person=cast.person).exists()


def test_the_receiving_manager_reads_what_the_decision_needs_and_it_is_journaled(cast, clients):
    handover = incoming_handover(cast)
    listing = text(clients["dpip"].get(reverse("handovers:list")))
    assert "Reçus" in listing and cast.other_person.last_name.upper() in listing
    page = text(clients["dpip"].get(_detail(handover)))
    assert "3 rue Nationale" in page and "Déménagement à Lille" in page
    assert "Enregistrer la décision" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSULTATION,
        actor=cast.dpip,
        object_id=str(handover.public_id),
        person_public_id=cast.other_person.public_id,
    ).exists()
    # The sender reads it too, without the decision form.
    sender = text(quiet(cast.cpip_autre).get(_detail(handover)))
    assert "Retirer la demande" in sender and "Enregistrer la décision" not in sender


def test_accepting_through_the_page_opens_the_file_in_the_new_service(cast, clients):
    handover = incoming_handover(cast)
    response = clients["dpip"].post(
        _detail(handover),
        {
            "version": handover.version,
            "decision": "accepter",
            "antenna": cast.antenna.pk,
            "referent": cast.cpip.pk,
            "tribunal": cast.tribunal.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[cast.other_person.public_id])
    assert clients["cpip"].get(response["Location"]).status_code == 200
    assert quiet(cast.cpip_autre).get(response["Location"]).status_code == 404


def test_a_refusal_needs_its_reason_and_a_decided_handover_stays_decided(cast, clients):
    handover = incoming_handover(cast)
    empty = clients["dpip"].post(_detail(handover), {"version": handover.version})
    assert empty.status_code == 400
    assert "Choisissez d'accepter ou de refuser." in text(empty)
    no_reason = clients["dpip"].post(
        _detail(handover), {"version": handover.version, "decision": "refuser"}
    )
    assert no_reason.status_code == 400
    assert "Indiquez le motif du refus" in text(no_reason)
    refused = clients["dpip"].post(
        _detail(handover),
        {"version": handover.version, "decision": "refuser", "note": "Adresse hors ressort."},
    )
    assert refused.status_code == 302
    # The same page, sent again: the handover is decided, nothing changes.
    again = clients["dpip"].post(
        _detail(handover),
        {"version": handover.version, "decision": "accepter"},
    )
    assert again.status_code == 400
    assert "Ce dessaisissement est déjà refusé : plus rien à décider." in text(again)
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.REFUSE
    assert Person.objects.get(pk=cast.other_person.pk).spip == cast.other_spip


def test_only_the_receiving_management_decides(cast):
    handover = incoming_handover(cast)
    decision = {"version": handover.version, "decision": "accepter"}
    # The sender: 403 (they see it, they do not decide); a CPIP of the receiving SPIP: 404.
    assert quiet(cast.cpip_autre).post(_detail(handover), decision).status_code == 403
    assert quiet(cast.cpip).post(_detail(handover), decision).status_code == 404
    # The management of a third SPIP: not found either.
    third = OrganisationFactory(kind=OrganisationKind.SPIP, name="SPIP de la Somme")
    stranger = UserFactory(role=Role.DPIP, organisation=third)
    assert quiet(stranger).get(_detail(handover)).status_code == 404
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.EN_ATTENTE


def test_the_sender_withdraws_with_a_reason(cast, clients):
    handover = incoming_handover(cast)
    url = reverse("handovers:withdraw", args=[handover.public_id])
    assert clients["dpip"].get(url).status_code == 403  # the receiving side does not withdraw
    sender = quiet(cast.cpip_autre)
    assert sender.post(url, {"version": handover.version}).status_code == 400
    response = sender.post(
        url, {"version": handover.version, "reason": "La personne reste à Saint-Denis."}
    )
    assert response.status_code == 302
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.ANNULE
    listing = text(sender.get(reverse("handovers:list")))
    assert "Mes demandes" in listing and "Annulé" in listing


def test_empty_lists_say_so(cast, clients):
    page = text(clients["cpip"].get(reverse("handovers:list")))
    assert "Aucune demande de dessaisissement de votre part" in page
    page = text(clients["dpip"].get(reverse("handovers:list")))
    assert "Aucun dossier n'a été adressé à votre service." in page


def test_a_request_is_late_after_the_waiting_days_not_on_the_last_one(cast, clients):
    """P-HANDOVER-WAITING, on the list and on the page alike (one rule: rules.handovers.is_late)."""
    handover = incoming_handover(cast)
    late = '<span class="fr-badge fr-badge--sm fr-badge--warning">en retard</span>'
    ten_days = timezone.now() - timedelta(days=10)
    Handover.objects.filter(pk=handover.pk).update(created_at=ten_days)
    assert late not in text(clients["dpip"].get(reverse("handovers:list")))
    assert late not in text(clients["dpip"].get(_detail(handover)))
    Handover.objects.filter(pk=handover.pk).update(created_at=ten_days - timedelta(days=1))
    assert late in text(clients["dpip"].get(reverse("handovers:list")))
    assert late in text(clients["dpip"].get(_detail(handover)))
    assert late in text(quiet(cast.cpip_autre).get(reverse("handovers:list")))
