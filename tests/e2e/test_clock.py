"""The e2e server runs on the suite's fixed calendar (tests/e2e/frozen_manage.py): the demo is
seeded for that day and the pages show it, whatever the real date."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import FIXED_NOW

from .conftest import E2E_MARKS, Server

pytestmark = E2E_MARKS


def test_the_server_and_its_demo_live_on_the_fixed_day(login, e2e_server: Server) -> None:  # type: ignore[no-untyped-def]
    assert e2e_server.today() == FIXED_NOW.date()
    page: Page = login("cpip.demo")
    page.goto("/agenda/")
    caption = page.locator("table caption")
    expect(caption).to_have_text(f"Rendez-vous du {FIXED_NOW:%d/%m/%Y}")
    # The demo put six of cpip.demo's people at reception today.
    page.goto("/agenda/accueil/")
    expect(page.locator("table tbody tr")).to_have_count(6)
