"""Sign-in by one-time code: sending, expiry, single use, brute force, rate limits, no account
enumeration, journal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.space.access import CHALLENGE_COOKIE, SESSION_COOKIE
from parcours.space.models import PersonSession, SignInChallenge, SpaceAccount
from parcours.space.services import SENT
from tests.helpers import text

from .conftest import BIRTH, ask_code, last_code

pytestmark = pytest.mark.django_db


def test_the_code_goes_to_the_provider_at_once_and_is_stored_hashed(
    member: Any, http_sms: Any
) -> None:
    client = Client()
    response = ask_code(client)
    assert response.status_code == 302 and response["Location"] == "/espace/code/"
    assert len(http_sms.requests) == 1
    sent = http_sms.requests[0]["data"]
    assert sent["to"] == "+33612345678"
    code = last_code(http_sms)
    challenge = SignInChallenge.objects.get()
    assert challenge.person == member
    assert code not in challenge.code_hash and len(challenge.code_hash) == 64
    # Never in the outbox (readable by the staff, retried later).
    assert not member.messages.exists()
    cookie = client.cookies[CHALLENGE_COOKIE]
    assert cookie["path"] == "/espace/" and cookie["httponly"] and cookie["samesite"] == "Strict"


def test_the_right_code_opens_a_session(member: Any, http_sms: Any) -> None:
    client = Client()
    ask_code(client)
    response = client.post("/espace/code/", {"code": last_code(http_sms)})
    assert response.status_code == 302 and response["Location"] == "/espace/accueil/"
    assert PersonSession.objects.filter(person=member, ended_at__isnull=True).count() == 1
    assert SpaceAccount.objects.get(person=member).last_sign_in_at is not None
    page = client.get("/espace/accueil/")
    assert page.status_code == 200 and "Bonjour Lucas" in text(page)


def test_a_code_is_used_once(member: Any, http_sms: Any) -> None:
    client = Client()
    ask_code(client)
    code = last_code(http_sms)
    token = client.cookies[CHALLENGE_COOKIE].value
    assert client.post("/espace/code/", {"code": code}).status_code == 302
    replay = Client()
    replay.cookies[CHALLENGE_COOKIE] = token
    response = replay.post("/espace/code/", {"code": code})
    assert response.status_code == 400
    assert "plus valable" in text(response)
    assert PersonSession.objects.count() == 1


def test_an_expired_code_is_refused(member: Any, http_sms: Any) -> None:
    client = Client()
    ask_code(client)
    code = last_code(http_sms)
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        response = client.post("/espace/code/", {"code": code})
    assert response.status_code == 400
    assert "plus valable" in text(response)
    assert not PersonSession.objects.exists()


def test_five_wrong_codes_lock_the_number_and_say_when_to_retry(member: Any, http_sms: Any) -> None:
    client = Client()
    ask_code(client)
    code = last_code(http_sms)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        response = client.post("/espace/code/", {"code": wrong})
        assert response.status_code == 400 and "pas le bon" in text(response)
    fifth = client.post("/espace/code/", {"code": wrong})
    assert fifth.status_code == 429
    assert "vous pourrez réessayer dans 30 minutes" in text(fifth)
    # Even the right code of a new challenge is refused while locked.
    again = Client()
    ask_code(again)
    locked = again.post("/espace/code/", {"code": last_code(http_sms)})
    assert locked.status_code == 429 and "réessayer" in text(locked)
    assert not PersonSession.objects.exists()
    # After the lock, a new code works.
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        later = Client()
        ask_code(later)
        assert later.post("/espace/code/", {"code": last_code(http_sms)}).status_code == 302


def test_three_codes_per_number_in_fifteen_minutes(member: Any, http_sms: Any) -> None:
    for _ in range(3):
        assert ask_code(Client()).status_code == 302
    refused = ask_code(Client())
    assert refused.status_code == 429
    assert "trop de codes" in text(refused) and "dans 15 minutes" in text(refused)
    assert len(http_sms.requests) == 3
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert ask_code(Client()).status_code == 302


def test_ten_codes_per_address_in_an_hour(member: Any, http_sms: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(10):
        assert ask_code(client, f"06 12 34 56 {n:02d}").status_code == 302
    refused = ask_code(client, "06 99 99 99 99")
    assert refused.status_code == 429
    # Another address is not limited.
    assert ask_code(Client(REMOTE_ADDR="203.0.113.8"), "06 99 99 99 99").status_code == 302


@pytest.mark.parametrize(
    ("identifier", "birth"),
    [
        ("06 98 76 54 32", BIRTH),  # nobody has this number
        ("06 12 34 56 78", "1991-05-17"),  # wrong birth date
    ],
)
def test_the_answer_is_the_same_whether_the_person_exists_or_not(
    member: Any, http_sms: Any, identifier: str, birth: str
) -> None:
    real, fake_client = Client(), Client()
    known = ask_code(real)
    unknown = ask_code(fake_client, identifier, birth)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert CHALLENGE_COOKIE in fake_client.cookies
    for client in (real, fake_client):
        page = client.get("/espace/code/")
        assert page.status_code == 200 and SENT in text(page)
    assert len(http_sms.requests) == 1  # only the real person got a code
    # Any code typed for the unknown identifier is wrong, never a session.
    response = fake_client.post("/espace/code/", {"code": "123456"})
    assert response.status_code == 400 and not PersonSession.objects.exists()


def test_a_closed_space_sends_no_code(member: Any, http_sms: Any) -> None:
    SpaceAccount.objects.filter(person=member).update(enabled=False)
    assert ask_code(Client()).status_code == 302
    member.refresh_from_db()
    SpaceAccount.objects.filter(person=member).update(enabled=True)
    member.refuses_sms = True
    member.save()
    assert ask_code(Client()).status_code == 302
    assert http_sms.requests == []


def test_sign_in_by_e_mail(member: Any, settings: Any, mailoutbox: Any) -> None:
    response = ask_code(Client(), "Lucas.Durand@example.org")
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lucas.durand@example.org"]
    assert "espace personnel" in mailoutbox[0].body


def test_bad_input_is_a_french_400(member: Any) -> None:
    client = Client()
    empty = client.post("/espace/")
    assert empty.status_code == 400 and "Ce champ est obligatoire" in text(empty)
    garbage = client.post("/espace/", {"identifier": "pas un numéro", "birth_date": "hier"})
    assert garbage.status_code == 400
    assert "numéro de téléphone portable ou votre adresse" in text(garbage)
    assert not SignInChallenge.objects.exists()


def test_a_non_numeric_code_is_a_french_400(member: Any, http_sms: Any) -> None:
    client = Client()
    ask_code(client)
    response = client.post("/espace/code/", {"code": "abc"})
    assert response.status_code == 400 and "6 chiffres" in text(response)


def test_every_attempt_is_journaled(member: Any, http_sms: Any) -> None:
    client = Client()
    ask_code(client)
    client.post("/espace/code/", {"code": "000000" if last_code(http_sms) != "000000" else "1"})
    client.post("/espace/code/", {"code": last_code(http_sms)})
    steps = [
        e.details.get("étape")
        for e in AuditEvent.objects.filter(person_public_id=member.public_id).order_by("pk")
        if e.object_type == "espace"
    ]
    assert steps[:1] == ["code demandé"]
    assert "code erroné" in steps and "connexion" in steps
    ask_code(Client(), "06 98 76 54 32")
    unknown = AuditEvent.objects.filter(actor_username="inconnu (espace personnel)")
    assert unknown.count() == 1 and unknown.get().person_public_id is None


def test_the_code_page_without_a_challenge_goes_back_to_the_start(db: None) -> None:
    response = Client().get("/espace/code/")
    assert response.status_code == 302 and response["Location"] == "/espace/"
    assert SESSION_COOKIE not in Client().cookies
