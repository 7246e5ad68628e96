"""Two-factor sign-in in a real browser: a demo user enrols from the menu (QR code and key shown,
code computed here from the key on the server's clock), sees the recovery codes once, signs in
again with a code, and removes the device (the demo account is left as it was)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from urllib.parse import urlparse

from django_otp.oath import TOTP
from playwright.sync_api import BrowserContext, Dialog, expect

from .conftest import E2E_MARKS, Server, accept_charter, path_of, submit_login
from .test_accessibility import assert_accessible

pytestmark = E2E_MARKS

USER = "partenaire.demo"  # not a role that requires two factors: the device can be removed


def code(key: str, server: Server, steps_ahead: int = 0) -> str:
    """The code an app shows for `key` (base32 with spaces) on the server's virtual clock."""
    secret = key.replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6)
    totp.time = server.now().timestamp() + 30 * steps_ahead
    return f"{totp.token():06d}"


def clear_of_a_step_change(server: Server, margin: float = 10.0) -> None:
    """Wait, if need be, for a new 30 s step, so that at least `margin` seconds of it remain.

    A code computed just before a step change and checked just after it still matches (tolerance
    of one step), but django-otp then learns a drift of -1 step (OTP_TOTP_SYNC). After that,
    the next step's code, which the sign-in below uses, would be refused. On a loaded machine
    the enrolment request can take the seconds that cross the change."""
    left = 30 - server.now().timestamp() % 30
    if left < margin:
        time.sleep(left + 0.2)


def test_enrol_then_sign_in_with_a_code(
    new_context: Callable[..., BrowserContext], e2e_server: Server
) -> None:
    page = new_context().new_page()
    submit_login(page, USER)
    if path_of(page) == "/charte/":
        accept_charter(page)
    page.get_by_role("link", name="Double authentification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    page.get_by_role("link", name="Activer la double authentification").click()
    expect(page.locator("figure svg")).to_be_visible()
    assert_accessible(page)
    key = page.locator("#cle-manuelle").inner_text()

    page.get_by_label("Code affiché par l'application").fill("000000")
    page.get_by_role("button", name="Activer").click()
    if code(key, e2e_server) != "000000":
        expect(page.locator(".fr-message--error")).to_contain_text("Code incorrect")
    # Throttled for a second after a wrong code: the next step's code, once the delay is over.
    page.wait_for_timeout(2100)
    clear_of_a_step_change(e2e_server)
    page.get_by_label("Code affiché par l'application").fill(code(key, e2e_server))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    expect(page.locator("#codes-de-secours li")).to_have_count(10)

    # Signed out and in again: the code is asked before any page.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/connexion/")
    submit_login(page, USER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    assert path_of(page) == "/double-authentification/verification/"
    page.goto("/double-authentification/")
    assert path_of(page) == "/double-authentification/verification/"
    # The next step's code (the one used at enrolment cannot serve twice).
    page.get_by_label("Code de vérification").fill(code(key, e2e_server, steps_ahead=1))
    page.get_by_role("button", name="Vérifier").click()
    # Back to the page asked for.
    page.wait_for_url(lambda url: urlparse(url).path == "/double-authentification/")

    # Leave the demo account as it was; the removal asks first (dismissed, then accepted).
    expect(page.locator("main")).to_contain_text("Codes de secours restants : 10")
    asked: list[str] = []

    def answer(accept: bool) -> Callable[[Dialog], None]:
        def reply(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return reply

    page.once("dialog", answer(False))
    page.get_by_role("button", name="Désactiver la double authentification").click()
    expect(page.locator("main")).to_contain_text("Codes de secours restants : 10")
    page.once("dialog", answer(True))
    page.get_by_role("button", name="Désactiver la double authentification").click()
    expect(page.locator("main")).to_contain_text("n'est pas activée")
    assert asked == ["Désactiver la double authentification de votre compte ?"] * 2
