"""Inbound SMS (issue 18, replies by SMS): the signed webhook, replay, matching by number, STOP,
OUI / NON on the reminded appointment, items to read, triage of shared numbers, the purge."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parcours.agenda.models import AppointmentReply
from parcours.audit.models import AuditAction, AuditEvent
from parcours.notifications.inbound import purge_unknown_inbound
from parcours.notifications.models import InboundMessage, Message
from parcours.people.models import Person
from parcours.rules.agenda import AppointmentStatus
from parcours.rules.notifications import MessageRole, MessageState
from parcours.rules.vocabulary import InboundKeyword, InboundMatch, ReplyAnswer
from tests.conftest import Cast
from tests.factories import PersonFactory
from tests.helpers import client_for, file_tab, quiet, text

from .factories import make_appointment, make_message
from .fake_provider import INBOUND_SECRET, inbound_body, inbound_headers

pytestmark = pytest.mark.django_db

URL = "/sms/entrant/"
NUMBER = "+33612345678"


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.PARCOURS_SMS_INBOUND_SECRET = INBOUND_SECRET


def post(body: bytes, headers: dict[str, str] | None = None) -> Any:
    headers = inbound_headers(body) if headers is None else headers
    return quiet().post(URL, data=body, content_type="application/json", headers=headers)


def send_sms(text: str, **kwargs: Any) -> Any:
    return post(inbound_body(text, **kwargs))


def reminded(person: Person, *, days: int = 2, state: str = MessageState.ENVOYE) -> Any:
    """A planned appointment of the person and the reminder SMS sent for it."""
    appointment = make_appointment(person, timezone.now() + timedelta(days=days))
    make_message(
        person,
        state,
        role=MessageRole.RAPPEL,
        appointment=appointment,
        recipient=NUMBER,
        sent_at=timezone.now() - timedelta(hours=1),
        attempts=1,
        last_error="",
    )
    return appointment


@pytest.fixture
def person(cast: Cast) -> Person:
    cast.person.phone = NUMBER
    cast.person.save()
    return cast.person


# --- Signature, timestamp, body, replay --------------------------------------------------------


def test_a_signed_message_is_received_and_matched(person: Person) -> None:
    response = send_sms("Bonjour, je serai en retard de 10 minutes", message_id="m-1")
    assert response.status_code == 200
    assert response.json() == {"statut": "recu"}
    inbound = InboundMessage.objects.get(provider_message_id="m-1")
    assert inbound.person == person
    assert inbound.match == InboundMatch.PERSONNE
    assert inbound.keyword == InboundKeyword.AUTRE
    assert inbound.number == NUMBER
    assert inbound.to_read
    event = AuditEvent.objects.filter(object_id=str(inbound.public_id)).get()
    assert event.action == AuditAction.CREATION
    assert event.person_public_id == person.public_id


def test_a_forged_signature_is_refused(person: Person) -> None:
    body = inbound_body("OUI")
    response = post(body, inbound_headers(body, forge=True))
    assert response.status_code == 403
    assert "Signature invalide" in response.json()["erreur"]
    assert not InboundMessage.objects.exists()


def test_a_missing_signature_is_refused(person: Person) -> None:
    response = post(inbound_body("OUI"), {})
    assert response.status_code == 403
    assert "Signature absente" in response.json()["erreur"]
    assert not InboundMessage.objects.exists()


def test_a_body_changed_after_signing_is_refused(person: Person) -> None:
    body = inbound_body("OUI")
    headers = inbound_headers(body)
    response = post(body.replace(b"OUI", b"NON"), headers)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("shift", [-301, 301])
def test_a_stale_or_future_timestamp_is_refused(person: Person, shift: int) -> None:
    body = inbound_body("OUI")
    response = post(body, inbound_headers(body, timestamp=int(time.time()) + shift))
    assert response.status_code == 403
    assert "Horodatage" in response.json()["erreur"]
    assert not InboundMessage.objects.exists()


def test_a_timestamp_within_five_minutes_is_accepted(person: Person) -> None:
    body = inbound_body("merci")
    response = post(body, inbound_headers(body, timestamp=int(time.time()) - 240))
    assert response.status_code == 200


def test_without_a_configured_secret_everything_is_refused(person: Person, settings: Any) -> None:
    settings.PARCOURS_SMS_INBOUND_SECRET = ""
    body = inbound_body("OUI")
    response = post(body, inbound_headers(body, secret=""))
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"pas du json", "JSON valide"),
        (b"[1, 2]", "objet JSON"),
        (
            b'{"from": "+33612345678", "text": "OUI", "received_at": "2026-03-02T09:15:00+01:00"}',
            "« id »",
        ),
        (b'{"id": "x", "text": "OUI", "received_at": "2026-03-02T09:15:00+01:00"}', "« from »"),
        (
            b'{"id": "x", "from": "+33612345678", "received_at": "2026-03-02T09:15:00+01:00"}',
            "« text »",
        ),
        (b'{"id": "x", "from": "+33612345678", "text": "OUI", "received_at": "hier"}', "ISO 8601"),
        (
            b'{"id": "x", "from": "+33612345678", "text": "OUI", "received_at": "2026-03-02"}',
            "fuseau",
        ),
        (
            b'{"id": "x", "from": "abc", "text": "OUI", "received_at": "2026-03-02T09:15:00Z"}',
            "numéro",
        ),
        (b"\xff\xfe", "JSON valide"),
    ],
)
def test_a_malformed_body_is_a_french_400(person: Person, body: bytes, fragment: str) -> None:
    response = post(body)
    assert response.status_code == 400
    assert fragment in response.json()["erreur"]
    assert not InboundMessage.objects.exists()


def test_a_text_too_long_is_a_400(person: Person) -> None:
    response = send_sms("x" * 2001)
    assert response.status_code == 400
    assert "trop long" in response.json()["erreur"]


def test_a_wrong_method_is_a_405() -> None:
    assert quiet().get(URL).status_code == 405


def test_a_replayed_message_id_has_no_second_effect(person: Person) -> None:
    appointment = reminded(person)
    body = inbound_body("NON", message_id="m-replay")
    assert post(body).json() == {"statut": "recu"}
    # The provider retries (fresh signature, same message id): accepted, nothing done again.
    again = post(body)
    assert again.status_code == 200
    assert again.json() == {"statut": "deja_recu"}
    assert InboundMessage.objects.filter(provider_message_id="m-replay").count() == 1
    assert AppointmentReply.objects.filter(appointment=appointment).count() == 1
    assert AuditEvent.objects.filter(object_type="inboundmessage").count() == 1


# --- STOP, OUI, NON -----------------------------------------------------------------------------


def test_stop_stops_the_sms_like_the_stop_link(person: Person) -> None:
    pending = make_message(person, MessageState.PROGRAMME, role=MessageRole.RAPPEL)
    response = send_sms("STOP")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.refuses_sms
    pending.refresh_from_db()
    assert pending.state == MessageState.ANNULE
    inbound = InboundMessage.objects.get()
    assert inbound.keyword == InboundKeyword.STOP
    assert not inbound.to_read
    assert "STOP" in inbound.outcome


def test_oui_confirms_the_reminded_appointment(person: Person) -> None:
    appointment = reminded(person)
    send_sms("Oui.")
    reply = AppointmentReply.objects.get(appointment=appointment)
    assert reply.answer == ReplyAnswer.CONFIRME
    assert reply.channel == "sms"
    inbound = InboundMessage.objects.get()
    assert inbound.appointment == appointment
    assert inbound.outcome.startswith("Présence confirmée")
    assert not inbound.to_read


def test_non_declines_the_reminded_appointment(person: Person) -> None:
    appointment = reminded(person)
    send_sms("non merci")
    reply = AppointmentReply.objects.get(appointment=appointment)
    assert reply.answer == ReplyAnswer.EMPECHE
    assert reply.reason == ""
    assert not InboundMessage.objects.get().to_read


def test_non_with_a_reason_declines_and_is_also_to_read(person: Person) -> None:
    appointment = reminded(person)
    send_sms("Non je suis malade")
    reply = AppointmentReply.objects.get(appointment=appointment)
    assert reply.answer == ReplyAnswer.EMPECHE
    assert reply.reason == "Non je suis malade"
    assert InboundMessage.objects.get().to_read


def test_the_latest_reminder_decides_the_appointment(person: Person) -> None:
    older = reminded(person, days=3)
    newer = reminded(person, days=6)
    Message.objects.filter(appointment=newer).update(sent_at=timezone.now())
    send_sms("OUI")
    assert AppointmentReply.objects.filter(appointment=newer).exists()
    assert not AppointmentReply.objects.filter(appointment=older).exists()


@pytest.mark.parametrize(
    ("case", "outcome"), [("ferme", "non enregistrée"), ("sans", "Aucun rappel")]
)
def test_a_reply_that_cannot_apply_is_only_a_message_to_read(
    person: Person, case: str, outcome: str
) -> None:
    """A closed appointment, or no reminder sent yet (only the convocation)."""
    if case == "ferme":
        appointment = reminded(person)
        type(appointment).objects.filter(pk=appointment.pk).update(status=AppointmentStatus.ANNULE)
    else:
        make_appointment(person)
    send_sms("OUI")
    assert not AppointmentReply.objects.exists()
    inbound = InboundMessage.objects.get()
    assert inbound.to_read
    assert outcome in inbound.outcome


def test_a_reminder_not_sent_does_not_count(person: Person) -> None:
    reminded(person, state=MessageState.PROGRAMME)
    send_sms("OUI")
    assert not AppointmentReply.objects.exists()


# --- Matching -----------------------------------------------------------------------------------


def test_an_unknown_number_is_kept_for_nobody(cast: Cast) -> None:
    send_sms("Qui êtes-vous ?", number="+33699999999")
    inbound = InboundMessage.objects.get()
    assert inbound.match == InboundMatch.INCONNU
    assert inbound.person is None
    for role in ("cpip", "dpip", "secretariat"):
        page = client_for(cast.user(role)).get(reverse("notifications:inbound_list") + "?etat=tous")
        assert "Qui êtes-vous" not in page.content.decode()


def test_unknown_numbers_are_purged_after_the_delay(cast: Cast, settings: Any) -> None:
    settings.PARCOURS_SMS_INBOUND_UNKNOWN_DAYS = 30
    send_sms("vieux", number="+33699999999", received_at="2027-01-01T10:00:00+01:00")
    send_sms("récent", number="+33699999998", received_at="2027-03-10T10:00:00+01:00")
    cast.person.phone = "+33699999997"
    cast.person.save()
    send_sms("connu ancien", number="+33699999997", received_at="2027-01-01T10:00:00+01:00")
    assert purge_unknown_inbound() == 1
    assert sorted(InboundMessage.objects.values_list("text", flat=True)) == [
        "connu ancien",
        "récent",
    ]


def test_a_shared_number_is_ambiguous_and_attached_to_nobody(cast: Cast, person: Person) -> None:
    other = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2, phone=NUMBER)
    appointment = reminded(person)
    send_sms("NON")
    inbound = InboundMessage.objects.get()
    assert inbound.match == InboundMatch.AMBIGU
    assert inbound.person is None
    assert set(Person.objects.filter(inbound_candidacies__inbound=inbound)) == {person, other}
    # No guess: the appointment is not answered.
    assert not AppointmentReply.objects.filter(appointment=appointment).exists()
    # The referent does not see it; the service does, to attach it.
    listing = reverse("notifications:inbound_list") + "?etat=a_rattacher"
    assert "Numéro partagé" not in client_for(cast.cpip).get(listing).content.decode()
    page = client_for(cast.dpip).get(listing).content.decode()
    assert "Numéro partagé" in page


def test_the_service_attaches_a_shared_number_to_one_person(cast: Cast, person: Person) -> None:
    PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2, phone=NUMBER)
    send_sms("Je cherche un travail, pouvez-vous m'aider ?")
    inbound = InboundMessage.objects.get()
    url = reverse("notifications:inbound_detail", args=[inbound.public_id])
    # The CPIP cannot see it before triage (404), the DPIP can and attaches it.
    assert quiet(cast.cpip).get(url).status_code == 404
    response = client_for(cast.secretariat).post(
        url, {"action": "rattacher", "personne": str(person.public_id)}
    )
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.match == InboundMatch.PERSONNE
    assert inbound.person == person
    assert AuditEvent.objects.filter(
        object_id=str(inbound.public_id), actor=cast.secretariat, action=AuditAction.MODIFICATION
    ).exists()
    # Now the referent reads it.
    assert client_for(cast.cpip).get(url).status_code == 200


def test_triage_refuses_a_person_who_is_not_a_candidate(cast: Cast, person: Person) -> None:
    PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2, phone=NUMBER)
    stranger = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    send_sms("bonjour")
    inbound = InboundMessage.objects.get()
    url = reverse("notifications:inbound_detail", args=[inbound.public_id])
    response = quiet(cast.dpip).post(
        url, {"action": "rattacher", "personne": str(stranger.public_id)}
    )
    assert response.status_code == 400
    assert "n'a pas ce numéro" in text(response)
    inbound.refresh_from_db()
    assert inbound.match == InboundMatch.AMBIGU


def test_a_second_spip_never_sees_the_other_candidates(cast: Cast, person: Person) -> None:
    PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2, phone=NUMBER)
    send_sms("bonjour")
    inbound = InboundMessage.objects.get()
    url = reverse("notifications:inbound_detail", args=[inbound.public_id])
    assert quiet(cast.cpip_autre).get(url).status_code == 404


# --- "Messages reçus", the person-file panel, mark as read ---------------------------------------


def test_other_text_is_an_item_to_read_for_the_referent(cast: Cast, person: Person) -> None:
    send_sms("Je ne trouve pas l'adresse de l'antenne")
    inbound = InboundMessage.objects.get()
    client: Client = client_for(cast.cpip)
    listing = client.get(reverse("notifications:inbound_list")).content.decode()
    assert "Je ne trouve pas l" in listing
    assert "À lire" in listing
    # A colleague CPIP does not see it; the DPIP does.
    assert (
        "Je ne trouve pas l"
        not in client_for(cast.cpip2).get(reverse("notifications:inbound_list")).content.decode()
    )
    assert (
        "Je ne trouve pas l"
        in client_for(cast.dpip).get(reverse("notifications:inbound_list")).content.decode()
    )
    # The person file shows it in "SMS reçus".
    file_page = client.get(file_tab(person, "sms-recus")).content.decode()
    assert 'id="sms-recus"' in file_page
    assert "Je ne trouve pas l" in file_page
    # Marked as read: out of the "à lire" list, journaled.
    url = reverse("notifications:inbound_detail", args=[inbound.public_id])
    assert client.post(url, {"action": "lu"}).status_code == 302
    inbound.refresh_from_db()
    assert inbound.read_by == cast.cpip
    assert inbound.read_at is not None
    assert AuditEvent.objects.filter(
        object_id=str(inbound.public_id), actor=cast.cpip, action=AuditAction.MODIFICATION
    ).exists()
    assert (
        "Je ne trouve pas l"
        not in client.get(reverse("notifications:inbound_list")).content.decode()
    )
    assert (
        "Je ne trouve pas l"
        in client.get(reverse("notifications:inbound_list") + "?etat=tous").content.decode()
    )


def test_opening_a_message_is_journaled(cast: Cast, person: Person) -> None:
    send_sms("question")
    inbound = InboundMessage.objects.get()
    client_for(cast.cpip).get(reverse("notifications:inbound_detail", args=[inbound.public_id]))
    assert AuditEvent.objects.filter(
        object_id=str(inbound.public_id), actor=cast.cpip, action=AuditAction.CONSULTATION
    ).exists()


def test_a_cpip_cannot_attach_a_message(cast: Cast, person: Person) -> None:
    send_sms("question")
    inbound = InboundMessage.objects.get()
    url = reverse("notifications:inbound_detail", args=[inbound.public_id])
    response = quiet(cast.cpip).post(
        url, {"action": "rattacher", "personne": str(person.public_id)}
    )
    assert response.status_code == 403


def test_a_bad_filter_is_a_400(cast: Cast) -> None:
    response = quiet(cast.cpip).get(reverse("notifications:inbound_list") + "?etat=nimporte")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


# --- Configuration ------------------------------------------------------------------------------


def test_production_refuses_the_http_backend_without_an_inbound_secret(settings: Any) -> None:
    from parcours.core.checks import production_problems

    settings.PARCOURS_SMS_BACKEND = "http"
    settings.PARCOURS_SMS_INBOUND_SECRET = "trop-court"
    assert "parcours.E006" in {check for check, _ in production_problems()}
    settings.PARCOURS_SMS_INBOUND_SECRET = "x" * 20 + "y" * 20
    assert "parcours.E006" not in {check for check, _ in production_problems()}
    settings.PARCOURS_SMS_BACKEND = "console"
    settings.PARCOURS_SMS_INBOUND_SECRET = ""
    assert "parcours.E006" not in {check for check, _ in production_problems()}
