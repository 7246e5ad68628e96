"""A user's open sessions (parcours/accounts/sessions.py, "Mes sessions"): listed with their
address, ended one by one or all but the current one, never another user's; ended at once but
for the current one when the second factor is activated."""

from __future__ import annotations

import time
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from parcours.accounts import mfa
from parcours.accounts.models import UserSession
from parcours.accounts.sessions import device_label
from parcours.audit.models import AuditAction, AuditEvent
from tests.conftest import Cast
from tests.helpers import text
from tests.security.test_two_factor import code_of, login

pytestmark = pytest.mark.django_db

PAGE = "/mes-sessions/"


def signed_in(username: str, address: str) -> Client:
    """A client through the sign-in form, from `address`."""
    client = Client(REMOTE_ADDR=address)
    response = login(client, username)
    assert response.status_code == 302
    assert client.get(reverse("people:caseload")).status_code in (200, 403)
    return client


def still_signed_in(client: Client) -> bool:
    response = client.get(reverse("mfa:settings"))
    return response.status_code == 200


def session_id(client: Client) -> int:
    return UserSession.objects.get(session_key=client.session.session_key).pk


def test_the_page_lists_the_sessions_and_ends_another_one(cast: Cast) -> None:
    here = signed_in("cpip", "203.0.113.5")
    there = signed_in("cpip", "198.51.100.7")
    page = here.get(PAGE)
    assert page.status_code == 200 and reverse("accounts:sessions") == PAGE
    body = text(page)
    assert "Cette session" in body and "198.51.100.7" in body and "203.0.113.5" in body
    assert body.count('name="session"') == 1  # the current one has no "Fermer"
    ended = here.post(PAGE, {"session": session_id(there)})
    assert ended.status_code == 302
    assert "1 session fermée." in text(here.get(PAGE))
    assert not still_signed_in(there)
    assert still_signed_in(here)
    event = AuditEvent.objects.filter(action=AuditAction.DECONNEXION).latest("pk")
    assert event.details == {"sessions_fermees": 1, "motif": "fermeture par l'utilisateur"}
    assert event.actor_id == cast.cpip.pk


def test_all_the_other_sessions_end_but_this_one(cast: Cast) -> None:
    here = signed_in("cpip", "203.0.113.5")
    others = [signed_in("cpip", f"198.51.100.{n}") for n in (1, 2)]
    assert "Fermer toutes mes autres sessions" in text(here.get(PAGE))
    here.post(PAGE, {"toutes": "on"})
    assert not any(still_signed_in(other) for other in others)
    assert still_signed_in(here)
    assert "Aucune autre session" in text(here.get(PAGE))


def test_another_user_s_session_is_never_ended(cast: Cast) -> None:
    mine = signed_in("cpip", "203.0.113.5")
    colleague = signed_in("cpip2", "198.51.100.9")
    answer = mine.post(PAGE, {"session": session_id(colleague)})
    assert answer.status_code == 302
    assert "Cette session était déjà fermée." in text(mine.get(PAGE))
    assert still_signed_in(colleague)
    assert "198.51.100.9" not in text(mine.get(PAGE))


def test_nothing_chosen_is_a_french_400(cast: Cast) -> None:
    client = signed_in("cpip", "203.0.113.5")
    answer = client.post(PAGE, {"session": "pas-un-nombre"})
    assert answer.status_code == 400
    assert "Choisissez la session à fermer." in text(client.post(PAGE, {}))


def test_an_idle_session_is_not_listed(cast: Cast) -> None:
    start = time.time()
    here = signed_in("cpip", "203.0.113.5")
    with time_machine.travel(start - settings.PARCOURS_SESSION_IDLE_SECONDS - 120, tick=False):
        idle = signed_in("cpip", "198.51.100.7")
    assert idle.session.session_key
    assert "198.51.100.7" not in text(here.get(PAGE))


def test_activating_the_second_factor_ends_the_other_sessions(cast: Cast, settings: Any) -> None:
    settings.PARCOURS_MFA_REQUIRED = True
    other = signed_in("cpip", "198.51.100.7")
    here = signed_in("cpip", "203.0.113.5")
    here.get(reverse("mfa:enrol"))
    device = mfa.pending_device(cast.cpip)
    done = here.post(reverse("mfa:enrol"), {"code": code_of(device)})
    assert done.status_code == 200 and "Codes de secours" in text(done)
    assert not still_signed_in(other)
    assert still_signed_in(here)
    event = AuditEvent.objects.filter(action=AuditAction.DECONNEXION).latest("pk")
    assert event.details["motif"] == "activation de la double authentification"


FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (FIREFOX_WINDOWS, "Firefox sur Windows"),
        (CHROME_ANDROID, "Chrome sur Android"),
        (EDGE_WINDOWS, "Edge sur Windows"),
        ("curl/8.5.0", ""),
    ],
)
def test_a_session_names_its_browser_and_system(agent: str, label: str) -> None:
    assert device_label(agent) == label


def test_sessions_are_told_apart_by_their_device(cast: Cast) -> None:
    """Two sessions from the same address: the page names each one's browser."""
    first = Client(REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT=FIREFOX_WINDOWS)
    assert login(first, "cpip").status_code == 302
    second = Client(REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT=CHROME_ANDROID)
    assert login(second, "cpip").status_code == 302
    page = text(second.get(PAGE))
    assert "Firefox sur Windows" in page and "Chrome sur Android" in page
    stored = set(UserSession.objects.filter(user=cast.cpip).values_list("user_agent", flat=True))
    assert stored == {FIREFOX_WINDOWS, CHROME_ANDROID}
