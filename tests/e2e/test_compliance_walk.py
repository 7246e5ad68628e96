"""The measures issue's walk: a CPIP adds an obligation with a monthly proof, uploads a proof and
sees the status turn "à jour"; time passes (the nightly recomputation run on later dates with
`recompute_compliance --date`) and the status turns "justificatif attendu", then "en retard";
the CPIP records a manquement and sees the proposed next step."""

from __future__ import annotations

import random
import re
import string
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from parcours.rules.measures import add_months

from .conftest import E2E_MARKS, Server, _manage, open_tab, path_of

pytestmark = E2E_MARKS


def compliance(page: Page) -> str:
    return page.locator("p.compliance").first.inner_text()


def test_obligation_proof_time_and_breach(login, e2e_server: Server, tmp_path: Path) -> None:
    today = e2e_server.today()
    start = today - timedelta(days=25)  # the first proof falls due in about 5 days
    page = login("cpip.demo")

    # A new person, with a sursis probatoire.
    name = "Conformite" + "".join(random.choices(string.ascii_lowercase, k=6))
    page.goto("/personnes/nouvelle/")
    page.locator("#id_last_name").fill(name)
    page.locator("#id_first_names").fill("Paul")
    page.locator("#id_birth_date").fill("1990-02-03")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/personnes/[0-9a-f-]{36}/$"))
    person_path = path_of(page)

    page.get_by_role("link", name="Ajouter une mesure").click()
    page.locator("#id_measure_type").select_option(label="Sursis probatoire")
    page.locator("#id_judgment_date").fill(start.isoformat())
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_end_date").fill(add_months(start, 24).isoformat())
    page.locator("#id_probation_months").fill("24")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: person_path in url)

    # Care obligation (CP 132-45 3°), monthly attestation by default.
    page.get_by_role("link", name=re.compile("Ajouter une obligation")).first.click()
    page.locator("#id_type").select_option("cp_132_45_3")
    page.get_by_role("button", name="Continuer").click()
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_imposed_on").fill(start.isoformat())
    page.locator("#id_param_nature").fill("addictologie")
    expect(page.locator("#id_cadence_months")).to_have_value("1")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: person_path in url)
    expect(page.locator("p.compliance").first).to_contain_text("Justificatif attendu")

    # The attestation, uploaded as a PDF, then accepted: "à jour".
    pdf = tmp_path / "attestation-soins.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with pdf.open("wb") as handle:
        writer.write(handle)
    page.get_by_role("link", name=re.compile("Ajouter un justificatif")).first.click()
    expect(page.get_by_label("Fichier déposé")).to_be_checked()
    page.locator("#id_received_on").fill(today.isoformat())
    page.locator("#id_file").set_input_files(str(pdf))
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: person_path in url)
    page.get_by_role("button", name="Accepter").first.click()
    page.wait_for_url(lambda url: person_path in url)
    expect(page.locator("p.compliance").first).to_contain_text("À jour")

    # A month later, the next attestation is due within the week.
    _manage(
        e2e_server.env,
        e2e_server.log,
        "recompute_compliance",
        "--date",
        (add_months(start, 2) - timedelta(days=3)).isoformat(),
    )
    page.goto(person_path)
    expect(page.locator("p.compliance").first).to_contain_text("Justificatif attendu")

    # Twenty days past that due date, still nothing: late.
    _manage(
        e2e_server.env,
        e2e_server.log,
        "recompute_compliance",
        "--date",
        (add_months(start, 2) + timedelta(days=20)).isoformat(),
    )
    page.goto(person_path)
    expect(page.locator("p.compliance").first).to_contain_text("En retard")

    # The CPIP records a manquement (tab "Suivi de la mesure") and sees the proposed next step.
    open_tab(page, "Suivi de la mesure")
    page.get_by_role("link", name="Enregistrer un manquement").click()
    page.locator("#id_measure").select_option(index=1)
    page.locator("#id_kind").select_option("justificatif")
    page.locator("#id_occurred_on").fill(today.isoformat())
    page.locator("#id_facts").fill("Attestation de soins du mois non remise.")
    page.get_by_role("button", name="Enregistrer le manquement").click()
    page.wait_for_url(lambda url: person_path in url)
    expect(page.get_by_role("status")).to_contain_text("Suite proposée : Rappel des obligations")
    section = page.locator("#manquements")
    expect(section).to_contain_text("Justificatif non fourni")
    expect(section).to_contain_text("1 manquement de la mesure depuis le")
