"""Issue 16, helper B: the menu on one line at 1366 px for every role (measured by the nav's
height), the active entry of the page's section, every button named by visible text (or an
aria-label) at 1366 and 390 px, an appointment's panel by its state, and filters showing what is
displayed."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import E2E_MARKS, PERSON_PATH

pytestmark = E2E_MARKS

Login = Callable[..., Page]
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
APPOINTMENT = re.compile(r"^/agenda/rendez-vous/[0-9a-f-]{36}/$")

# Every visible button-like control without a visible text nor an aria-label.
UNNAMED_BUTTONS_JS = """
() => Array.from(document.querySelectorAll(
    'button, a.fr-btn, input[type=submit], input[type=button], [role=button]'))
  .filter(el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
  })
  .filter(el => {
    const text = (el.innerText || el.value || '').trim();
    const label = (el.getAttribute('aria-label') || '').trim();
    return !text && !label;
  })
  .map(el => el.outerHTML.slice(0, 160))
"""


FITS_JS = """
s => {
  const context = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(s);
  context.font = style.font;
  const text = context.measureText(s.options[s.selectedIndex].text).width;
  return text + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) <= s.clientWidth + 1;
}
"""


def first_person_path(page: Page) -> str:
    page.goto("/personnes/")
    href = page.locator("table tbody tr td a").first.get_attribute("href")
    assert href and PERSON_PATH.match(href), href
    return href


@pytest.mark.parametrize(
    "username",
    ["cpip.demo", "cpip.mf.demo", "dpip.demo", "secretariat.demo", "jap.demo", "admin.demo"],
)
def test_the_menu_holds_on_one_line_at_1366(login: Login, username: str) -> None:
    page = login(username)
    page.set_viewport_size(DESK)
    page.goto("/")
    nav_list = page.locator("#navigation > .fr-nav__list")
    expect(nav_list).to_be_visible()
    items = nav_list.locator(":scope > .fr-nav__item")
    assert items.count() >= 2
    item_height = items.first.bounding_box()["height"]  # type: ignore[index]
    list_height = nav_list.bounding_box()["height"]  # type: ignore[index]
    assert list_height < 1.5 * item_height, (username, list_height, item_height)
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}  # type: ignore[index]
    assert len(tops) == 1, (username, tops)


def test_a_sub_menu_opens_and_leads_to_its_page(login: Login) -> None:
    page = login("dpip.demo")
    page.set_viewport_size(DESK)
    page.goto("/")
    nav = page.locator("#navigation")
    expect(nav.get_by_role("link", name="Indicateurs de sortie")).to_be_hidden()
    nav.get_by_role("button", name="Milieu fermé").click()
    nav.get_by_role("link", name="Indicateurs de sortie").click()
    page.wait_for_url(re.compile(r"/sortie/indicateurs/$"))
    expect(nav.get_by_role("button", name="Milieu fermé")).to_have_attribute("aria-current", "true")


def test_the_active_entry_follows_the_section(login: Login) -> None:
    page = login("cpip.demo")
    page.set_viewport_size(DESK)
    person = first_person_path(page)
    person_id = person.strip("/").split("/")[-1]
    nav = page.locator("#navigation")
    people = nav.get_by_role("link", name="Mes personnes suivies")
    new_person = nav.get_by_role("link", name="Nouvelle personne")
    for path in (person, f"/notes/personne/{person_id}/nouvelle/", f"/chronologie/{person_id}/"):
        page.goto(path)
        expect(people).to_have_attribute("aria-current", "page")
        expect(new_person).not_to_have_attribute("aria-current", "page")
    page.goto("/personnes/nouvelle/")
    expect(new_person).to_have_attribute("aria-current", "page")
    expect(people).not_to_have_attribute("aria-current", "page")
    page.goto("/agenda/accueil/")
    expect(nav.get_by_role("button", name="Agenda")).to_have_attribute("aria-current", "true")


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1366", "390"])
def test_every_button_has_a_visible_name(login: Login, viewport: dict[str, int]) -> None:
    page = login("cpip.demo")
    page.set_viewport_size(viewport)
    person = first_person_path(page)
    page.goto("/agenda/")
    appointment = page.locator("a[href^='/agenda/rendez-vous/']").first
    paths = ["/", "/personnes/", person, "/agenda/", "/agenda/accueil/", "/rapports/"]
    if appointment.count():
        paths.append(appointment.get_attribute("href") or "/")
    problems = {}
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        unnamed = page.evaluate(UNNAMED_BUTTONS_JS)
        if unnamed:
            problems[path] = unnamed
    assert problems == {}


def appointment_paths(page: Page) -> list[str]:
    page.goto("/agenda/")
    hrefs = page.locator("a[href^='/agenda/rendez-vous/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return [href for href in dict.fromkeys(hrefs) if href and APPOINTMENT.match(href)]


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1366", "390"])
def test_an_appointment_panel_matches_its_state(login: Login, viewport: dict[str, int]) -> None:
    page = login("cpip.demo")
    page.set_viewport_size(viewport)
    paths = appointment_paths(page)[:6]
    if not paths:
        pytest.skip("no appointment on the demo agenda today")
    expected = {
        "Annuler le rendez-vous": ["annuler"],
        "Saisir le résultat": ["honorer", "absent", "excuser"],
    }
    seen = 0
    for path in paths:
        page.goto(path)
        panel = page.locator("#actions-rdv")
        if not panel.count():
            continue
        title = panel.locator("h2").inner_text().strip()
        forms = panel.locator("form").evaluate_all("forms => forms.map(f => f.id.slice(7))")
        if title in expected:
            assert forms == expected[title], (path, title, forms)
        else:
            assert title == "Corriger le résultat" and "corriger" in forms, (path, title, forms)
        confirmations = panel.locator("form").evaluate_all(
            "forms => forms.map(f => f.dataset.confirm)"
        )
        assert all(confirmations) and len(set(confirmations)) == len(confirmations)
        seen += 1
    assert seen


def test_cancelling_asks_for_a_confirmation_first(login: Login) -> None:
    page = login("cpip.demo")
    page.set_viewport_size(DESK)
    for path in appointment_paths(page):
        page.goto(path)
        if page.locator("#action-annuler").count():
            break
    else:
        pytest.skip("no future appointment on the demo agenda today")
    page.locator("#motif-annuler").fill("Hospitalisation")
    messages: list[str] = []

    def dismiss(dialog: object) -> None:
        messages.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Annuler le rendez-vous").click()
    expect(page.locator("#action-annuler")).to_be_visible()
    assert messages and messages[0].startswith("Annuler ce rendez-vous ?")
    assert APPOINTMENT.match(path)


def test_filters_show_what_is_displayed(login: Login) -> None:
    page = login("cpip.demo")
    page.set_viewport_size(DESK)
    page.goto("/agenda/")
    expect(page.get_by_label("Jour", exact=True)).not_to_have_value("")
    agenda = page.locator("select[name=agenda]")
    assert agenda.evaluate("s => s.options[s.selectedIndex].text") != "Choisir…"
    page.goto("/agenda/accueil/")
    place = page.locator("select[name=place]")
    assert place.evaluate("s => s.options[s.selectedIndex].text") != "Choisir…"
    page.goto("/personnes/")
    scope = page.locator("select[name=perimetre]")
    # The select is wide enough for its selected option (text + paddings, the arrow's included).
    assert scope.evaluate(FITS_JS), scope.evaluate("s => s.options[s.selectedIndex].text")
