"""The milieu fermé walk (issue 15), in a real browser on the demo prison: the milieu fermé CPIP
opens Opportunités, opens a detainee's file and reads "Pourquoi ?" of the situation pénale,
proposes an adjustment to the CAP; the DPIP creates a CAP, puts the person on its list and opens
the avis, which the CPIP submits and the DPIP validates; the upcoming releases show their
countdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import Page, expect

from .conftest import E2E_MARKS, PERSON_PATH, Server, path_of

pytestmark = E2E_MARKS

Login = Callable[..., Page]
REPORT_EDIT = re.compile(r"^/rapports/([0-9a-f-]{36})/rediger/$")


def test_opportunities_cap_avis_and_release_countdown(login: Login, e2e_server: Server) -> None:
    cpip = login("cpip.mf.demo")
    cpip.goto("/")
    cpip.locator("#navigation").get_by_role("button", name="Milieu fermé").click()
    cpip.locator("#navigation").get_by_role("link", name="Opportunités", exact=True).click()
    expect(cpip.get_by_role("heading", level=1)).to_contain_text("Opportunités")
    rows = cpip.locator("table tbody tr")
    expect(rows.first).to_be_visible()

    # A detainee's file: the situation pénale and its "Pourquoi ?" with the articles.
    first = rows.first
    person_name = first.locator("td").first.get_by_role("link").inner_text().strip()
    first.locator("td").first.get_by_role("link").click()
    assert PERSON_PATH.match(path_of(cpip)), cpip.url
    person_path = path_of(cpip)
    situation = cpip.locator("#situation-penale")
    expect(situation.get_by_role("heading", name="Situation pénale")).to_be_visible()
    why = situation.locator("details").first
    why.locator("summary").click()
    expect(why).to_contain_text("CPP art. 716")

    # Propose the adjustment to the CAP from the person's adjustments page.
    cpip.go_back()
    cpip.locator("table tbody tr").first.locator("td").nth(1).get_by_role("link").click()
    expect(cpip.get_by_role("heading", level=1)).to_contain_text(person_name)
    cpip.locator("section").filter(
        has=cpip.get_by_role("button", name="Proposer à la CAP")
    ).first.get_by_role("button", name="Proposer à la CAP").click()
    expect(cpip.get_by_text("Proposé à la CAP").first).to_be_visible()

    # The DPIP creates a commission in the prison and puts the person on its list.
    dpip = login("dpip.demo")
    dpip.goto("/")
    dpip.locator("#navigation").get_by_role("button", name="Milieu fermé").click()
    dpip.locator("#navigation").get_by_role("link", name="CAP", exact=True).click()
    held_on = e2e_server.today() + timedelta(days=14)
    select = dpip.get_by_label("Établissement", exact=True)
    prison = select.locator("option", has_text="Sequedin-les-Aulnes").first.inner_text().strip()
    select.select_option(label=prison)
    dpip.get_by_label("Date de la commission").fill(held_on.isoformat())
    dpip.get_by_role("button", name="Créer la commission").click()
    expect(dpip.get_by_role("heading", level=1)).to_contain_text(f"{held_on:%d/%m/%Y}")
    commission_path = path_of(dpip)
    candidate = dpip.locator("table tbody tr").filter(has_text=person_name).first
    candidate.get_by_role("button", name="Ajouter").click()
    listed = dpip.locator("table").first.locator("tbody tr").filter(has_text=person_name)
    expect(listed).to_have_count(1)

    # The avis: opened by the DPIP for the referent CPIP, who submits it; the DPIP validates.
    listed.get_by_role("button", name="Préparer l'avis").click()
    match = REPORT_EDIT.match(path_of(dpip))
    assert match, dpip.url
    report_path = f"/rapports/{match.group(1)}/"
    cpip.goto(report_path)
    cpip.get_by_role("button", name="Soumettre à validation").click()
    expect(cpip.get_by_text("Soumis").first).to_be_visible()
    dpip.goto(report_path)
    dpip.get_by_role("button", name="Valider").click()
    expect(dpip.get_by_text("Validé").first).to_be_visible()
    dpip.goto(commission_path)
    commission_row = dpip.locator("table").first.locator("tbody tr").filter(has_text=person_name)
    expect(commission_row).to_contain_text("Validé")

    # Release preparation: the CPIP's upcoming releases, each with its countdown.
    cpip.goto("/")
    cpip.locator("#navigation").get_by_role("button", name="Milieu fermé").click()
    cpip.locator("#navigation").get_by_role("link", name="Sorties à venir", exact=True).click()
    expect(cpip.locator("table tbody tr").first).to_contain_text(re.compile(r"J-\d+|J0"))
    cpip.locator("table tbody tr").first.get_by_role("link").first.click()
    expect(cpip.locator("body")).to_contain_text(re.compile(r"J-\d+ avant la date de libération"))
    assert person_path  # the detainee's file was reached above
