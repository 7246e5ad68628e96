"""Dessaisissement in a real browser (ADR 0032): dpip.demo finds the two files La Réunion asks
the Nord to take, the late one marked; opening one shows only what the decision needs; accepting
(after the confirmation) opens the file in the Nord and La Réunion's CPIP no longer finds it."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Dialog, Page, expect

from .conftest import E2E_MARKS, path_of
from .test_accessibility import assert_accessible

pytestmark = E2E_MARKS


def test_the_receiving_manager_accepts_a_file_from_another_spip(
    login: Callable[..., Page],
) -> None:
    page = login("dpip.demo")
    page.goto("/")
    page.get_by_role("button", name="Pilotage").click()
    page.get_by_role("link", name="Changements de SPIP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changements de SPIP")
    received = page.locator("table[aria-labelledby=recus] tbody tr")
    expect(received).to_have_count(2)
    late = received.filter(has_text="en retard")
    expect(late).to_have_count(1)
    expect(late).to_contain_text("SPIP de La Réunion")
    assert_accessible(page)

    late.get_by_role("link").click()
    main = page.locator("main")
    expect(main).to_contain_text("Installation chez sa compagne à Roubaix")
    expect(main).to_contain_text("Mesures en cours")
    assert_accessible(page)
    name = page.get_by_role("heading", level=1).inner_text().removeprefix("Dessaisissement — ")

    page.locator("label", has_text="Accepter").click()
    page.get_by_label("Antenne").select_option(label="Antenne de Lille")
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text(
        "Le dossier a rejoint votre service."
    )
    assert asked == ["Enregistrer cette décision ?"]
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    person_path = path_of(page)

    other = login("cpip.autre.demo")
    response = other.goto(person_path)
    assert response is not None and response.status == 404
