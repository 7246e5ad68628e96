"""A destructive action asks first (static/parcours/parcours.js): the `data-confirm` of the
button pressed, or of its form. Dismissed, nothing is sent; accepted, the action is done."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Dialog, Page, expect

from .conftest import E2E_MARKS

pytestmark = E2E_MARKS


def test_revoking_the_agenda_feed_asks_first_from_the_button_s_own_message(
    login: Callable[..., Page],
) -> None:
    page = login("cpip.demo")
    page.goto("/agenda/abonnement/")
    main = page.locator("main")
    if page.get_by_role("button", name="Révoquer").count() == 0:
        page.get_by_role("button", name="Créer un lien d'abonnement").click()
    expect(main).to_contain_text("Un lien est actif")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Révoquer").click()
    expect(main).to_contain_text("Un lien est actif")
    page.once("dialog", accept)
    page.get_by_role("button", name="Révoquer").click()
    expect(main).to_contain_text("Aucun lien actif.")
    assert asked == ["Révoquer le lien d'abonnement ?"] * 2
    # The other button of the same form does not ask.
    page.get_by_role("button", name="Créer un lien d'abonnement").click()
    expect(main).to_contain_text("Un lien est actif")
    assert len(asked) == 2
