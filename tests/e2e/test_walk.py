"""The walk from the issue, in a real browser against a real server (see conftest.py)."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import BrowserContext, Locator, Page, expect

from .conftest import E2E_MARKS, PERSON_PATH, Server, path_of

pytestmark = E2E_MARKS

PERSON_URL = re.compile(r"/personnes/[0-9a-f-]{36}/$")

Login = Callable[..., Page]


def open_caseload_person(page: Page, index: int = 0) -> tuple[str, str]:
    """On cpip.demo's caseload, returns (name, path) of the index-th person listed."""
    page.goto("/personnes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes personnes suivies")
    link = page.locator("table tbody tr").nth(index).locator("td a").first
    return link.inner_text().strip(), str(link.get_attribute("href"))


def journal_rows(page: Page, *, utilisateur: str, action: str, objet: str) -> Locator:
    """The journal filtered through its form, as a DPIP does; returns the table rows."""
    page.goto("/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des accès")
    page.locator("#id_utilisateur").fill(utilisateur)
    page.locator("#id_action").select_option(action)
    page.locator("#id_objet").fill(objet)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/journal/?*")
    return page.locator("table tbody tr")


def test_referent_opens_a_file_journaled_and_invisible_to_another_spip(login: Login) -> None:
    # The real login form, with a new session.
    cpip = login("cpip.demo", fresh=True)
    expect(cpip.get_by_role("heading", level=1)).to_have_text("Mes personnes suivies")
    rows = cpip.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 1
    first_link = rows.first.locator("td a").first
    name = first_link.inner_text().strip()
    first_link.click()
    cpip.wait_for_url(PERSON_URL)
    person_path = path_of(cpip)
    assert PERSON_PATH.match(person_path), person_path
    expect(cpip.get_by_role("heading", level=1)).to_have_text(name)
    identity = cpip.get_by_role("complementary", name="Identité et contact")
    expect(identity.get_by_role("heading", name="Identité et contact")).to_be_visible()
    expect(identity.get_by_text("Référent", exact=True)).to_be_visible()
    expect(identity).to_contain_text("Camille Martin")

    # The DPIP reads the consultation in the journal.
    dpip = login("dpip.demo")
    entries = journal_rows(dpip, utilisateur="cpip.demo", action="consultation", objet=name)
    expect(entries.first).to_be_visible()
    first = entries.first
    expect(first).to_contain_text("cpip.demo")
    expect(first).to_contain_text("Consultation")
    expect(first).to_contain_text(name)
    expect(first).to_contain_text("CPIP référent")

    # Another SPIP's CPIP: the same address is a 404, as if the file did not exist.
    other = login("cpip.autre.demo")
    response = other.goto(person_path)
    assert response is not None and response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(other.locator("main")).not_to_contain_text(name)


def test_colleague_gives_a_motif_before_opening_a_file(login: Login) -> None:
    cpip = login("cpip.demo")
    name, person_path = open_caseload_person(cpip, index=1)

    # A new session: no motif given earlier for this file.
    colleague = login("cpip2.demo", fresh=True)
    colleague.goto(person_path)
    assert path_of(colleague) == f"{person_path}motif/"
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Motif de consultation")
    # The DSFR radio is covered by its label: click the label, as a user does.
    colleague.locator("label", has_text="Permanence").click()
    expect(colleague.get_by_label("Permanence")).to_be_checked()
    colleague.get_by_role("button", name="Consulter le dossier").click()
    colleague.wait_for_url(f"**{person_path}")
    expect(colleague.get_by_role("heading", level=1)).to_have_text(name)
    expect(colleague.locator("main")).to_contain_text(
        re.compile("Consultation au titre : permanence", re.IGNORECASE)
    )
    # Break the glass is read-only.
    expect(colleague.get_by_role("link", name="Modifier", exact=True)).to_have_count(0)

    dpip = login("dpip.demo")
    entries = journal_rows(dpip, utilisateur="cpip2.demo", action="acces_exceptionnel", objet=name)
    expect(entries.first).to_be_visible()
    expect(entries.first).to_contain_text("Accès exceptionnel (motif)")
    expect(entries.first).to_contain_text("cpip2.demo")
    expect(entries.first).to_contain_text(re.compile("permanence", re.IGNORECASE))


def _unique_last_name() -> str:
    return "Essai" + "".join(random.choices(string.ascii_lowercase, k=8))


def test_create_a_person_through_the_form(login: Login) -> None:
    page = login("cpip.demo")
    page.goto("/personnes/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle personne suivie")
    last_name = _unique_last_name()
    page.locator("#id_last_name").fill(last_name)
    page.locator("#id_first_names").fill("Jeanne Marie")
    page.locator("#id_birth_date").fill("1988-04-17")
    page.locator("#id_birth_place").fill("Roubaix")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: "/nouvelle/" not in url)
    assert PERSON_PATH.match(path_of(page)), page.url
    full_name = f"{last_name.upper()} Jeanne Marie"
    expect(page.get_by_role("heading", level=1)).to_have_text(full_name)
    expect(page.get_by_role("status")).to_contain_text(f"La personne {full_name} est enregistrée")
    expect(page.locator("main")).to_contain_text("17 avril 1988")
    expect(page.locator("main")).to_contain_text("Roubaix")

    # The new person is in the creator's caseload.
    page.goto("/personnes/?q=" + last_name)
    expect(page.get_by_role("link", name=full_name)).to_be_visible()


def test_bad_input_shows_french_error_messages(login: Login, e2e_server: Server) -> None:
    page = login("cpip.demo")
    page.goto("/personnes/nouvelle/")
    page.locator("#id_last_name").fill(_unique_last_name())
    future = e2e_server.today() + timedelta(days=400)
    page.locator("#id_birth_date").fill(future.isoformat())
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Enregistrer").click()
    assert posted.value.status == 400
    assert path_of(page) == "/personnes/nouvelle/"
    summary = page.locator("#erreurs-formulaire")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text(
        re.compile(r"^Le formulaire contient \d+ erreurs$")
    )
    expect(page.locator("#id_birth_date-erreurs")).to_have_text(
        "La date de naissance ne peut pas être dans le futur."
    )
    expect(page.locator("#id_first_names-erreurs")).to_have_text("Ce champ est obligatoire.")
    expect(page.locator("#id_birth_date")).to_have_attribute("aria-invalid", "true")
    # The summary links to the faulty fields.
    expect(summary.get_by_role("link", name="Date de naissance")).to_have_attribute(
        "href", "#id_birth_date"
    )
    # What was typed is kept.
    expect(page.locator("#id_birth_date")).to_have_value(future.isoformat())


def test_wrong_password_is_refused_in_french(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    page.goto("/connexion/")
    page.locator("#id_username").fill("cpip.demo")
    page.locator("#id_password").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    assert path_of(page) == "/connexion/"
