"""The notification screens in a real browser (the e2e server seeded with the demo data):
axe-core on the outbox, the template editor and the STOP page; the live preview (HTMX) of a
template; a person uses the STOP link of an SMS shown in the outbox."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from .conftest import E2E_MARKS
from .test_accessibility import assert_accessible

pytestmark = E2E_MARKS

Login = Callable[..., Page]


def test_outbox_and_templates_are_accessible(login: Login) -> None:
    page = login("dpip.demo")
    page.goto("/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_accessible(page)
    # The demo has failed messages: asked for by their filter, not by their place in the list.
    page.goto("/notifications/?etat=echoue")
    failed = page.locator("table tbody tr")
    expect(failed.first).to_contain_text("Échoué")
    expect(failed.filter(has_not_text="Échoué")).to_have_count(0)
    page.get_by_role("link", name="Modèles de messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modèles de messages")
    assert_accessible(page)


def test_template_live_preview(login: Login) -> None:
    page = login("dpip.demo")
    page.goto("/notifications/modeles/rappel/sms/")
    expect(page.locator("#apercu blockquote")).to_contain_text("Rappel SPIP")
    assert_accessible(page)
    body = page.get_by_label("Texte du message")
    body.fill("Bonjour, rendez-vous le {date} à {heure}. STOP : {stop}")
    expect(page.locator("#apercu blockquote")).to_contain_text("Bonjour, rendez-vous le ")
    expect(page.locator("#apercu blockquote")).to_contain_text("/n/stop/")
    body.fill("Bonjour {infraction} {stop}")
    expect(page.locator("#apercu")).to_contain_text("Champ inconnu : {infraction}")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-messages-group, .fr-alert--error").first).to_contain_text(
        "Champ inconnu"
    )
    # Nothing was saved: the national text is still listed.
    page.goto("/notifications/modeles/")
    expect(page.locator("table tbody")).not_to_contain_text("Texte du service")


def test_a_person_stops_the_sms(
    login: Login,
    new_context: Callable[..., BrowserContext],
) -> None:
    page = login("dpip.demo")
    page.goto("/notifications/?etat=programme&canal=sms")
    page.get_by_role("link", name=re.compile(r"^Annuler")).first.click()
    text = page.locator("blockquote.sms-preview").inner_text()
    match = re.search(r"/n/stop/[^/\s]+/", text)
    assert match, text
    anonymous = new_context().new_page()
    anonymous.goto(match.group(0))
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Ne plus recevoir de SMS")
    assert_accessible(anonymous)
    anonymous.get_by_role("button", name="Je ne veux plus recevoir de SMS").click()
    expect(anonymous.locator(".fr-alert--success")).to_contain_text("vous ne recevrez plus de SMS")
    anonymous.goto(match.group(0))
    expect(anonymous.locator(".fr-alert--info")).to_contain_text("déjà plus de SMS")
    # The message seen by the staff is now cancelled.
    page.reload()
    expect(page.locator(".fr-alert--info")).to_contain_text("ne peut pas être annulé")
    anonymous.goto("/n/stop/abc:def/")
    expect(anonymous.locator("body")).to_contain_text("Page introuvable")
