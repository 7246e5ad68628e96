"""The header on every signed-in page: the DSFR script runs without an error (it needs the menu
button, the modal menu and `fr-header__menu-links`), and on a phone the menu is behind "Menu",
with the tool links (sign out) copied into it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import E2E_MARKS, path_of

pytestmark = E2E_MARKS

Login = Callable[..., Page]


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("cpip.demo", ["/", "/personnes/", "/agenda/"]),
        ("dpip.demo", ["/personnes/", "/journal/"]),
    ],
)
def test_signed_in_pages_run_the_dsfr_script_without_error(
    login: Login, username: str, paths: list[str]
) -> None:
    page = login(username)
    page.set_viewport_size({"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        # The DSFR script started the menu modal and copied the tool links into the menu.
        expect(page.locator("#menu-principal")).to_have_attribute("data-fr-js-modal", "true")
        expect(page.locator(".fr-header__menu-links .fr-btns-group")).to_have_count(1)
    assert errors == []


def test_on_a_phone_the_menu_opens_and_sign_out_is_reachable(login: Login) -> None:
    page = login("cpip.demo", fresh=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/personnes/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    # Closed: the menu's entries are not on the first screen.
    expect(page.locator("#menu-principal .fr-nav__list")).to_be_hidden()
    menu.click()
    dialog = page.locator("#menu-principal")
    expect(dialog.get_by_role("link", name="Mes personnes suivies")).to_be_visible()
    sign_out = dialog.get_by_role("button", name="Se déconnecter")
    expect(sign_out).to_be_visible()
    sign_out.click()
    page.wait_for_url(lambda url: "/connexion/" in url or url.endswith("/"))
    page.goto("/personnes/")
    assert path_of(page) == "/connexion/"
