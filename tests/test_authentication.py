"""Login, lockout, passwords, sessions and the charter (security.md bar 7)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from parcours.accounts.middleware import LAST_SEEN_KEY
from parcours.audit.models import AuditAction, AuditEvent

from .helpers import client_for

pytestmark = pytest.mark.django_db
LOGIN = "/connexion/"


def login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_passwords_are_hashed_with_argon2(cast, settings):
    from config import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    cast.cpip.set_password("une-phrase-assez-longue-pour-etre-sure")
    assert cast.cpip.password.startswith("argon2")
    assert cast.cpip.check_password("une-phrase-assez-longue-pour-etre-sure")


def test_login_journals_success_and_failure(cast):
    client = Client()
    assert login(client, "cpip", "mauvais-mot-de-passe-long").status_code == 200
    assert login(client, "cpip", settings.DEMO_PASSWORD).status_code == 302
    actions = list(AuditEvent.objects.values_list("action", "actor_username"))
    assert (AuditAction.ECHEC_CONNEXION, "cpip") in actions
    assert (AuditAction.CONNEXION, "cpip") in actions


def test_unknown_and_known_accounts_get_the_same_answer(cast):
    unknown = login(Client(), "personne-inconnue", "un-mot-de-passe-quelconque")
    wrong = login(Client(), "cpip", "un-mot-de-passe-quelconque")
    assert unknown.status_code == wrong.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in unknown.content.decode()
    assert "Identifiant ou mot de passe incorrect." in wrong.content.decode()


def test_lockout_after_repeated_failures_on_username_and_ip(cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "cpip", "mauvais-mot-de-passe-long")
    locked = login(client, "cpip", settings.DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "bloquée" in locked.content.decode()
    # A colleague is not locked out, and the same account from another post is not either.
    assert login(Client(), "cpip2", settings.DEMO_PASSWORD).status_code == 302
    other_ip = Client().post(
        LOGIN, {"username": "cpip", "password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_ip.status_code == 302


def test_new_session_key_at_login(cast):
    client = Client()
    client.get(LOGIN)
    before = client.session.session_key
    login(client, "cpip", settings.DEMO_PASSWORD)
    assert client.session.session_key != before


@pytest.mark.parametrize(
    "password, fragment",
    [
        ("court-mais-pas", "au moins 15"),
        ("justice-pour-tous-2026", "justice"),
        ("le-SPIP-du-nord-2026!", "spip"),
        ("123456789012345678", "entièrement numérique"),
    ],
)
def test_weak_passwords_are_refused_in_french(cast, password, fragment):
    with pytest.raises(ValidationError) as error:
        validate_password(password, cast.cpip)
    assert fragment.lower() in " ".join(error.value.messages).lower()


def test_admin_password_needs_16_characters(cast):
    with pytest.raises(ValidationError):
        validate_password("quinze-caracter", cast.admin)
    validate_password("quinze-caracter", cast.cpip)


def test_service_name_is_a_context_word(cast):
    with pytest.raises(ValidationError):
        validate_password("vive-lille-et-ses-moules", cast.cpip)


def test_idle_session_is_logged_out(cast):
    client = client_for(cast.cpip)
    url = reverse("people:caseload")
    assert client.get(url).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.PARCOURS_SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(url)
    assert response.status_code == 302
    assert "expiree=1" in response["Location"]
    assert client.get(url).status_code == 302


def test_logout_is_post_only_and_ends_the_session(cast):
    client = Client()
    login(client, "cpip", settings.DEMO_PASSWORD)
    assert client.get("/deconnexion/").status_code == 405
    assert client.post("/deconnexion/").status_code == 302
    assert client.get(reverse("people:caseload")).status_code == 302


def test_deactivation_ends_every_open_session(cast):
    first, second = Client(), Client()
    login(first, "cpip", settings.DEMO_PASSWORD)
    login(second, "cpip", settings.DEMO_PASSWORD)
    assert Session.objects.count() == 2
    admin = client_for(cast.admin)
    response = admin.post(reverse("accounts:user_deactivate", args=[cast.cpip.public_id]))
    assert response.status_code == 302
    cast.cpip.refresh_from_db()
    assert not cast.cpip.is_active
    for client in (first, second):
        assert client.get(reverse("people:caseload")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.DESACTIVATION).count() == 1
    # A deactivated account cannot log in again, with the usual answer.
    assert login(Client(), "cpip", settings.DEMO_PASSWORD).status_code == 200


def test_charter_is_required_before_any_page(cast):
    cast.cpip.charter_accepted_at = None
    cast.cpip.save()
    client = client_for(cast.cpip)
    response = client.get(reverse("people:caseload"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:charter")
    assert client.post(reverse("accounts:charter"), {}).status_code == 400
    assert client.post(reverse("accounts:charter"), {"accept": "on"}).status_code == 302
    assert client.get(reverse("people:caseload")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.CHARTE, actor=cast.cpip).exists()


def test_health_needs_no_login_and_checks_the_database():
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_authenticated_pages_are_not_cached_and_carry_security_headers(cast, clients):
    response = clients["cpip"].get(reverse("people:caseload"))
    assert response["Cache-Control"] == "private, no-store"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "nonce-" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_an_account_without_a_role_signs_in_and_out_but_opens_nothing(cast):
    """A new account whose role waits for a second person (issue 14): the charter, the home
    page and the logout work; every case page is refused; the menu is empty."""
    cast.cpip.role = ""
    cast.cpip.charter_accepted_at = None
    cast.cpip.save()
    client = Client()
    assert login(client, "cpip", settings.DEMO_PASSWORD).status_code == 302
    assert client.post(reverse("accounts:charter"), {"accept": "on"}).status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert "Votre rôle ne donne accès à aucun dossier" in body
    assert reverse("people:caseload") not in body
    assert client.get(reverse("people:caseload")).status_code == 403
    assert client.get(reverse("people:detail", args=[cast.person.public_id])).status_code == 403
    assert client.post("/deconnexion/").status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_the_reset_confirm_page_works_logged_out(cast):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(cast.cpip.pk))
    token = default_token_generator.make_token(cast.cpip)
    client = Client()
    first = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert first.status_code == 302
    page = client.get(first["Location"])
    assert page.status_code == 200
    assert "Définir votre mot de passe" in page.content.decode()
    new = "un-matin-calme-sur-la-riviere-verte"
    done = client.post(first["Location"], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200
    assert login(Client(), "cpip", new).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.REINITIALISATION, actor=cast.cpip, object_id=str(cast.cpip.public_id)
    ).exists()
