"""The space session: its own cookie, idle and absolute expiry, sign-out, closing by the CPIP,
and the isolation from the staff pages (the whole URL map)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parcours.space.access import SESSION_COOKIE
from parcours.space.models import PersonSession
from parcours.space.services import set_space
from tests.helpers import client_for, text

from .conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_the_session_cookie_is_the_space_s_own(member: Any, http_sms: Any) -> None:
    client = signed_in_client(http_sms)
    cookie = client.cookies[SESSION_COOKIE]
    assert cookie["path"] == "/espace/"
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == 2 * 3600
    assert "sessionid" not in client.cookies  # never Django's session


def test_secure_cookie_in_production(member: Any, http_sms: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = True
    client = signed_in_client(http_sms)
    assert client.cookies[SESSION_COOKIE]["secure"]


def test_idle_timeout(member: Any, http_sms: Any) -> None:
    client = signed_in_client(http_sms)
    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        assert client.get("/espace/accueil/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=14 + 16), tick=False):
        response = client.get("/espace/accueil/")
    assert response.status_code == 302 and response["Location"].startswith("/espace/?fin=1")
    assert PersonSession.objects.get().ended_at is not None


def test_absolute_timeout(member: Any, http_sms: Any) -> None:
    client = signed_in_client(http_sms)
    start = timezone.now()
    for minutes in range(10, 120, 10):  # active all along
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/espace/accueil/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=121), tick=False):
        assert client.get("/espace/accueil/").status_code == 302


def test_sign_out_ends_the_session(member: Any, http_sms: Any) -> None:
    client = signed_in_client(http_sms)
    token = client.cookies[SESSION_COOKIE].value
    response = client.post("/espace/deconnexion/")
    assert response.status_code == 302 and response["Location"] == "/espace/?fait=sortie"
    assert PersonSession.objects.get().ended_at is not None
    stolen = Client()
    stolen.cookies[SESSION_COOKIE] = token
    assert stolen.get("/espace/accueil/").status_code == 302


def test_disabling_the_space_ends_the_sessions(cast: Any, member: Any, http_sms: Any) -> None:
    client = signed_in_client(http_sms)
    set_space(acting_user=cast.cpip, person=member, enabled=False)
    assert client.get("/espace/accueil/").status_code == 302


def test_refusing_sms_closes_the_space(member: Any, http_sms: Any) -> None:
    client = signed_in_client(http_sms)
    member.refuses_sms = True
    member.save()
    assert client.get("/espace/accueil/").status_code == 302


def test_a_staff_session_never_opens_the_space(cast: Any) -> None:
    client = client_for(cast.cpip)
    for path in ("/espace/accueil/", "/espace/rendez-vous/", "/espace/justificatifs/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/espace/"


def _staff_urls(resolver: URLResolver, prefix: str = "") -> list[str]:
    names: list[str] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names += _staff_urls(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{prefix}{entry.name}")
    return [n for n in names if not n.startswith("space:")]


def _url(name: str, cast: Any) -> str | None:
    """Any staff URL, its identifiers filled with the person's (or a random uuid)."""
    from django.urls import NoReverseMatch

    candidates: list[dict[str, Any]] = [{}]
    ids = {
        "public_id": cast.person.public_id,
        "person_id": cast.person.public_id,
        "measure_id": uuid.uuid4(),
        "obligation_id": uuid.uuid4(),
        "ecrou_id": uuid.uuid4(),
    }
    for key in ("public_id", "person_id", "measure_id", "obligation_id", "ecrou_id"):
        candidates.append({key: ids[key]})
    candidates += [
        {"token": "jeton"},
        {"role": "rappel", "channel": "sms"},
        {"public_id": cast.person.public_id, "fmt": "pdf"},
        {"uidb64": "MQ", "token": "jeton"},
    ]
    for kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def test_a_space_session_opens_no_staff_page(cast: Any, member: Any, http_sms: Any) -> None:
    """The person's signed-in browser asks every staff URL of the URL map: never a 200 with
    their data; a 302 to the staff login, a 403, 404 or 405."""
    client = signed_in_client(http_sms)
    client.raise_request_exception = False
    public = {
        "core:health",
        "accounts:login",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "notifications:stop",
    }
    problems, tried = [], 0
    for name in _staff_urls(get_resolver()):
        url = _url(name, cast)
        if url is None:
            continue
        tried += 1
        response = client.get(url)
        body = response.content.decode(errors="replace") if not response.streaming else ""
        if cast.person.last_name.upper() in body.upper() or "Lucas" in body:
            problems.append(f"{name}: shows the person's name")
        if name in public:
            continue
        if response.status_code == 302:
            if not response["Location"].startswith("/connexion/"):
                problems.append(f"{name}: 302 to {response['Location']}")
        elif response.status_code not in (403, 404, 405):
            problems.append(f"{name}: {response.status_code}")
    assert tried > 100, tried
    assert not problems, "\n".join(problems)


def test_the_space_is_journaled_page_by_page(member: Any, http_sms: Any) -> None:
    from parcours.audit.models import AuditEvent

    client = signed_in_client(http_sms)
    for path in (
        "/espace/accueil/",
        "/espace/rendez-vous/",
        "/espace/justificatifs/",
        "/espace/messages/",
    ):
        assert client.get(path).status_code == 200
    labels = list(
        AuditEvent.objects.filter(person_public_id=member.public_id, action="consultation")
        .order_by("pk")
        .values_list("object_label", flat=True)
    )
    assert labels == [
        "Espace personnel : accueil",
        "Espace personnel : mes rendez-vous",
        "Espace personnel : mes justificatifs",
        "Espace personnel : messages du SPIP",
    ]
    assert "Lucas" in text(client.get("/espace/accueil/"))
