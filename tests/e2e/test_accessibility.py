"""axe-core on each main page: no "serious" or "critical" violation.

Pages are visited by the role that uses them, logged in through a fresh browser context. On a
failure the message lists each violation's id, help text and the offending nodes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import E2E_MARKS, PERSON_PATH, accept_charter, path_of, submit_login

pytestmark = E2E_MARKS

Login = Callable[..., Page]
BLOCKING_IMPACTS = {"serious", "critical"}
AXE = Axe()


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    * {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    page.wait_for_load_state("load")
    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        count = len(blocking)
        message = f"axe-core : {count} violation(s) grave(s) sur {page.url}\n{describe(blocking)}"
        pytest.fail(message, pytrace=False)


def first_person_path(page: Page) -> str:
    page.goto("/personnes/")
    href = page.locator("table tbody tr td a").first.get_attribute("href")
    assert href and PERSON_PATH.match(href), href
    return href


def test_login_page(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    page.goto("/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à Parcours")
    assert_accessible(page)
    # With the error message.
    page.locator("#id_username").fill("personne.inconnue")
    page.locator("#id_password").fill("mauvais-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_charter_page(new_context: Callable[..., BrowserContext]) -> None:
    # secretariat.demo is used by no other test: in this session's fresh database the charter
    # is still to accept. Should it already be accepted, /charte/ shows the acceptance instead.
    page = new_context().new_page()
    submit_login(page, "secretariat.demo")
    if path_of(page) != "/charte/":
        page.goto("/charte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Charte d'utilisation de Parcours")
    assert_accessible(page)
    if page.locator("#id_accept").count():
        # The server-side error state: the checkbox is `required`, so the browser's own check
        # would stop the submission first; switch it off as `novalidate` does on other forms.
        page.locator("form[method=post]").last.evaluate("form => { form.noValidate = true; }")
        page.get_by_role("button", name="Accepter et continuer").click()
        expect(page.locator("#id_accept-erreurs")).to_be_visible()
        assert_accessible(page)
        accept_charter(page)
        page.goto("/charte/")
        expect(page.locator("main")).to_contain_text("Vous avez accepté cette charte")
        assert_accessible(page)


def test_caseload(login: Login) -> None:
    page = login("cpip.demo")
    page.goto("/personnes/")
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_accessible(page)


def test_person_file(login: Login) -> None:
    page = login("cpip.demo")
    page.goto(first_person_path(page))
    expect(page.get_by_role("heading", name="Identité et contact")).to_be_visible()
    assert_accessible(page)


def test_person_form(login: Login) -> None:
    page = login("cpip.demo")
    page.goto("/personnes/nouvelle/")
    expect(page.locator("#id_last_name")).to_be_visible()
    assert_accessible(page)
    # With validation errors: summary, messages and invalid fields.
    page.locator("#id_birth_date").fill("2999-01-01")
    page.locator("#id_phone").fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#erreurs-formulaire")).to_be_visible()
    assert_accessible(page)


def test_motif_page(login: Login) -> None:
    referent = login("cpip.demo")
    person_path = first_person_path(referent)
    page = login("cpip2.demo", fresh=True)
    page.goto(person_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Motif de consultation")
    assert_accessible(page)
    page.get_by_role("button", name="Consulter le dossier").click()
    expect(page.locator("#erreurs-formulaire")).to_be_visible()
    assert_accessible(page)


def test_todo_list(login: Login) -> None:
    page = login("cpip.demo")
    page.goto("/a-traiter/")
    expect(page.locator("table tbody tr").first).to_be_visible()
    expect(page.locator(".fr-badge--error").first).to_be_visible()
    assert_accessible(page)


def test_team(login: Login) -> None:
    page = login("dpip.demo")
    page.goto("/personnes/equipe/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon équipe")
    assert_accessible(page)


def test_journal(login: Login) -> None:
    page = login("dpip.demo")
    page.goto("/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des accès")
    assert_accessible(page)


def test_admin_user_list_and_forms(login: Login) -> None:
    page = login("admin.demo")
    page.goto("/administration/utilisateurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utilisateurs")
    assert_accessible(page)
    page.goto("/administration/utilisateurs/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel utilisateur")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#erreurs-formulaire")).to_be_visible()
    assert_accessible(page)


def test_not_found_page(login: Login) -> None:
    page = login("cpip.demo")
    response = page.goto(f"/personnes/{uuid.uuid4()}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    assert_accessible(page)


def test_partner_home(login: Login) -> None:
    page = login("partenaire.demo")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue dans Parcours")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("user", "path", "heading"),
    [
        ("cpip.demo", "/agenda/", "Agenda"),
        ("secretariat.demo", "/agenda/accueil/", "Aujourd'hui à l'accueil"),
        ("dpip.demo", "/agenda/indicateurs/", "Indicateurs des rendez-vous"),
        ("dpip.demo", "/agenda/lieux/", "Lieux et agendas"),
        ("cpip.demo", "/agenda/abonnement/", "Abonnement agenda"),
    ],
)
def test_agenda_pages(login: Login, user: str, path: str, heading: str) -> None:
    page = login(user)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)


def test_booking_form_and_appointment(login: Login) -> None:
    page = login("cpip.demo")
    person = first_person_path(page)
    page.goto(person)
    page.get_by_role("link", name="Fixer un rendez-vous").click()
    expect(page.locator("#apercu")).to_contain_text("Convocation")
    assert_accessible(page)
    page.goto(person)
    page.locator("#rendez-vous a[href^='/agenda/rendez-vous/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/double-authentification/", "Double authentification"),
        ("/mes-sessions/", "Mes sessions"),
        ("/mot-de-passe/changer/", "Changer mon mot de passe"),
    ],
)
def test_account_security_pages(login: Login, path: str, heading: str) -> None:
    page = login("cpip.demo")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
