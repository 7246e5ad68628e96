"""Dessaisissement services (ADR 0032): asking, withdrawing, refusing, and accepting, which moves
the whole file to the receiving SPIP in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.agenda.models import Appointment
from parcours.alerts.models import KIND_CHOICES, Alert
from parcours.audit.models import AuditAction, AuditEvent
from parcours.core.errors import ConflictError, Refused
from parcours.handovers import services
from parcours.handovers.models import Handover
from parcours.notes.models import Note
from parcours.notifications.models import Message
from parcours.partners.models import Referral
from parcours.people.models import Assignment, Person
from parcours.rules import handovers as rules
from parcours.rules.handovers import HandoverAction as A
from parcours.rules.vocabulary import (
    AppointmentStatus,
    HandoverStatus,
    OrganisationKind,
    ReferralStatus,
)
from tests.factories import OrganisationFactory, UserFactory

from ..agenda.factories import make_appointment
from ..detention.factories import first_ecrou
from ..helpers import quiet
from ..notes.factories import make_note
from ..partners.factories import make_referral
from .factories import incoming_handover

pytestmark = pytest.mark.django_db


def _file_of_the_other_person(cast):
    """cast.other_person (La Réunion) with a note, an alert, a past and a planned appointment,
    a referral not started and one under way."""
    person = cast.other_person
    Person.objects.filter(pk=person.pk).update(phone="+262692123456", no_phone=False)
    person.refresh_from_db()
    note = make_note(person, author=cast.cpip_autre)
    alert = Alert.objects.create(
        person=person,
        spip_id=person.spip_id,
        kind=KIND_CHOICES[0][0],
        label="Échéance",
        due_date=timezone.localdate() + timedelta(days=20),
        computed_at=timezone.now(),
    )
    past = make_appointment(
        cast, person=person, starts_at=timezone.now() - timedelta(days=30), status="honore"
    )
    planned = make_appointment(cast, person=person)
    draft = make_referral(cast, person=person, status=ReferralStatus.BROUILLON)
    running = make_referral(cast, person=person, status=ReferralStatus.EN_COURS)
    return note, alert, past, planned, draft, running


def test_accepting_moves_the_whole_file_to_the_receiving_spip(cast):
    note, alert, past, planned, draft, running = _file_of_the_other_person(cast)
    handover = incoming_handover(cast)
    services.accept_handover(
        acting_user=cast.dpip,
        handover=handover,
        expected_version=handover.version,
        antenna=cast.antenna,
        tribunal=cast.tribunal,
        referent=cast.cpip,
    )
    person = Person.objects.get(pk=cast.other_person.pk)
    assert (person.spip, person.antenna, person.referent) == (cast.spip, cast.antenna, cast.cpip)
    for row in (note, alert, past, planned):
        row.refresh_from_db()
        assert row.spip_id == cast.spip.pk, type(row).__name__
    # The appointment planned with La Réunion is cancelled (the person gets the SMS), the past
    # one stays as it was; the referral not started is cancelled, the one under way is kept.
    assert planned.status == AppointmentStatus.ANNULE
    assert "Dessaisissement au profit du SPIP du Nord" in planned.outcome_reason
    assert past.status == AppointmentStatus.HONORE
    draft.refresh_from_db()
    running.refresh_from_db()
    assert (draft.status, running.status) == (ReferralStatus.ANNULEE, ReferralStatus.EN_COURS)
    assert Message.objects.filter(appointment=planned, role="annulation").exists()
    # The current measures are the Lille tribunal's now; the referent history follows.
    assert set(person.measures.values_list("tribunal", flat=True)) == {cast.tribunal.pk}
    assert list(
        Assignment.objects.filter(person=person, ended_at__isnull=True).values_list(
            "cpip", flat=True
        )
    ) == [cast.cpip.pk]
    handover.refresh_from_db()
    assert (handover.status, handover.decided_by) == (HandoverStatus.ACCEPTE, cast.dpip)
    steps = list(
        AuditEvent.objects.filter(action=AuditAction.TRANSFERT, object_id=str(handover.public_id))
        .order_by("pk")
        .values_list("details__etape", flat=True)
    )
    assert steps == ["demande", "acceptation"]


def test_after_acceptance_the_sending_side_no_longer_finds_the_file(cast):
    handover = incoming_handover(cast)
    url = f"/personnes/{cast.other_person.public_id}/"
    assert quiet(cast.cpip_autre).get(url).status_code == 200
    assert quiet(cast.dpip).get(url).status_code == 404
    services.accept_handover(
        acting_user=cast.dpip, handover=handover, expected_version=handover.version
    )
    assert quiet(cast.cpip_autre).get(url).status_code == 404
    assert quiet(cast.dpip).get(url).status_code == 200


def test_every_row_of_the_file_that_carries_a_spip_moves():
    moved = {model._meta.label for model in services.file_rows()}
    assert {"notes.Note", "alerts.Alert", "agenda.Appointment", "notifications.Message"} <= moved
    assert "people.Assignment" not in moved


def test_a_stale_decision_moves_nothing(cast):
    handover = incoming_handover(cast)
    with pytest.raises(ConflictError):
        services.accept_handover(
            acting_user=cast.dpip, handover=handover, expected_version=handover.version - 1
        )
    assert Person.objects.get(pk=cast.other_person.pk).spip == cast.other_spip
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.EN_ATTENTE


def test_a_withdrawn_handover_can_no_longer_be_accepted(cast):
    handover = incoming_handover(cast)
    services.close_handover(
        acting_user=cast.cpip_autre,
        handover=handover,
        action=A.ANNULER,
        reason="La personne reste finalement à Saint-Denis.",
        expected_version=handover.version,
    )
    with pytest.raises(Refused, match="plus rien à décider"):
        services.accept_handover(
            acting_user=cast.dpip, handover=handover, expected_version=handover.version
        )
    assert Person.objects.get(pk=cast.other_person.pk).spip == cast.other_spip


def test_a_person_held_since_the_request_is_not_moved(cast):
    handover = incoming_handover(cast)
    first_ecrou(cast.other_person)
    with pytest.raises(Refused, match="écrouée"):
        services.accept_handover(
            acting_user=cast.dpip, handover=handover, expected_version=handover.version
        )
    # The whole decision rolled back: still waiting, still in La Réunion.
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.EN_ATTENTE
    assert Person.objects.get(pk=cast.other_person.pk).spip == cast.other_spip


def test_the_receiving_choices_belong_to_the_receiving_spip(cast):
    handover = incoming_handover(cast)
    with pytest.raises(Refused, match="un CPIP du SPIP destinataire"):
        services.accept_handover(
            acting_user=cast.dpip,
            handover=handover,
            expected_version=handover.version,
            referent=cast.cpip_autre,
        )
    with pytest.raises(Refused, match="une antenne du SPIP destinataire"):
        services.accept_handover(
            acting_user=cast.dpip,
            handover=handover,
            expected_version=handover.version,
            antenna=cast.other_antenna,
        )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("same_spip", rules.SAME_SPIP),
        ("detained", rules.DETAINED),
        ("waiting", rules.ALREADY_WAITING),
        ("not_a_spip", "Choisissez un SPIP en activité."),
    ],
)
def test_cpp_712_10_requests_refused_with_their_reason(cast, case, message):
    target = cast.other_spip
    if case == "same_spip":
        target = cast.spip
    elif case == "detained":
        first_ecrou(cast.person)
    elif case == "waiting":
        services.request_handover(
            acting_user=cast.cpip, person=cast.person, to_spip=target, reason="Déménagement."
        )
    elif case == "not_a_spip":
        target = cast.tribunal
    with pytest.raises(Refused) as refused:
        services.request_handover(
            acting_user=cast.cpip, person=cast.person, to_spip=target, reason="Déménagement."
        )
    assert str(refused.value) == message


def test_only_a_refusal_or_a_withdrawal_closes_without_moving(cast):
    handover = incoming_handover(cast)
    with pytest.raises(Refused, match="Action inconnue"):
        services.close_handover(
            acting_user=cast.dpip,
            handover=handover,
            action=A.ACCEPTER,
            reason="Accepté sans déplacer le dossier ?",
            expected_version=handover.version,
        )
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.EN_ATTENTE


def test_a_refusal_says_why_and_leaves_the_file(cast):
    handover = incoming_handover(cast)
    with pytest.raises(Refused, match="Indiquez le motif"):
        services.close_handover(
            acting_user=cast.dpip,
            handover=handover,
            action=A.REFUSER,
            reason=" ",
            expected_version=handover.version,
        )
    services.close_handover(
        acting_user=cast.dpip,
        handover=handover,
        action=A.REFUSER,
        reason="L'adresse indiquée relève du SPIP du Pas-de-Calais.",
        expected_version=handover.version,
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.REFUSE
    assert "Pas-de-Calais" in handover.decision_note
    assert Person.objects.get(pk=cast.other_person.pk).spip == cast.other_spip
    # A new request may follow a refusal (only one may wait at a time).
    third = OrganisationFactory(kind=OrganisationKind.SPIP, name="SPIP du Pas-de-Calais")
    again = services.request_handover(
        acting_user=UserFactory(role="dpip", organisation=cast.other_antenna),
        person=cast.other_person,
        to_spip=third,
        reason="Nouvelle demande au bon service.",
    )
    assert again.status == HandoverStatus.EN_ATTENTE
    assert Referral.objects.count() == 0
    assert Appointment.objects.count() == 0
    assert Note.objects.count() == 0
