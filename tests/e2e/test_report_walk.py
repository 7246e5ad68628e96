"""The reports issue's walk: a CPIP creates a report from a person file; the CPIP and the DPIP
edit it in two browsers at once; the second autosave is refused with a visible conflict showing
both versions; then text typed while offline, or after the session ended, survives closing the
tab."""

from __future__ import annotations

import re

from django.conf import settings
from playwright.sync_api import expect

from .conftest import E2E_MARKS, PERSON_PATH, open_tab, path_of, submit_login
from .test_accessibility import assert_accessible

pytestmark = E2E_MARKS

SESSION_COOKIE = settings.SESSION_COOKIE_NAME
EDIT_PATH = re.compile(r"/rapports/[0-9a-f-]{36}/rediger/$")


def test_two_editors_conflict_and_draft_survives_closing(login) -> None:
    cpip = login("cpip.demo")
    cpip.goto("/personnes/")
    cpip.locator("table tbody tr").first.locator("td a").first.click()
    cpip.wait_for_url(lambda url: PERSON_PATH.match(path_of_url(url)) is not None)
    open_tab(cpip, "Notes et rapports")
    cpip.get_by_role("link", name="Nouveau rapport").click()
    cpip.locator("#id_kind").select_option("situation")
    cpip.get_by_role("button", name="Créer le rapport").click()
    cpip.wait_for_url(EDIT_PATH)
    edit_path = path_of(cpip)
    expect(cpip.locator("#id_section-identite")).not_to_have_value("")  # prefilled

    dpip = login("dpip.demo")
    dpip.goto(edit_path)
    expect(dpip.locator("#etat-sauvegarde")).to_contain_text(SAVED)

    # The CPIP types: saved automatically a few seconds later.
    cpip.locator("#id_section-evolution").fill("Texte du CPIP : emploi trouvé en octobre.")
    expect(cpip.locator("#etat-sauvegarde")).to_contain_text("Enregistré")

    # The DPIP, still on version 1, types too: refused, both versions shown.
    dpip.locator("#id_section-evolution").fill("Texte de la DPIP.")
    dpip.locator("#id_section-conclusion").focus()  # blur: immediate save
    conflict = dpip.locator("#conflit-rapport")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Conflit")
    expect(conflict).to_contain_text("Texte du CPIP : emploi trouvé en octobre.")
    expect(conflict).to_contain_text("Texte de la DPIP.")
    expect(dpip.locator("#etat-sauvegarde")).to_contain_text("conflit")
    dpip.get_by_role("button", name="Reprendre la version enregistrée").click()
    expect(dpip.locator("#id_section-evolution")).to_have_value(
        "Texte du CPIP : emploi trouvé en octobre."
    )
    expect(conflict).to_be_hidden()

    # Network lost while typing, then the tab is closed: nothing is lost.
    context = cpip.context
    context.set_offline(True)
    cpip.locator("#id_section-conclusion").fill("Proposition : maintien de la mesure.")
    cpip.locator("#id_section-evolution").focus()
    expect(cpip.locator("#etat-sauvegarde")).to_contain_text("conservé localement")
    cpip.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(edit_path)
    expect(again.locator("#id_section-conclusion")).to_have_value(
        "Proposition : maintien de la mesure."
    )
    # Either the page saves the restored copy now ("Enregistré à …"), or the save sent as the tab
    # closed reached the server once back online and the page opens on that version.
    expect(again.locator("#etat-sauvegarde")).to_contain_text(SAVED)

    # Saved on the server too: a fresh page of the DPIP shows it.
    dpip.goto(edit_path)
    expect(dpip.locator("#id_section-conclusion")).to_have_value(
        "Proposition : maintien de la mesure."
    )

    # The session ends (expired, or signed out elsewhere) while typing: the autosave is sent to
    # the login page; the text stays in the browser and is saved after signing in again.
    context.clear_cookies(name=SESSION_COOKIE)
    again.locator("#id_section-evolution").fill("Écrit après la fin de la session.")
    again.locator("#id_section-conclusion").focus()
    expect(again.locator("#etat-sauvegarde")).to_contain_text("Session expirée")
    again.close()
    relogin = context.new_page()
    submit_login(relogin, "cpip.demo")
    relogin.goto(edit_path)
    expect(relogin.locator("#id_section-evolution")).to_have_value(
        "Écrit après la fin de la session."
    )
    expect(relogin.locator("#etat-sauvegarde")).to_contain_text("Enregistré à")


SAVED = re.compile(r"Enregistré à|Texte (prérempli )?enregistré")


def path_of_url(url: str) -> str:
    from urllib.parse import urlparse

    return urlparse(url).path


def test_report_pages_are_accessible_and_the_judge_gets_the_frozen_pdf(login) -> None:
    """axe-core on the reports pages of each role; jap.demo opens the demo report transmitted to
    the TJ de Lille and downloads its PDF."""
    cpip = login("cpip.demo")
    cpip.goto("/rapports/")
    expect(cpip.get_by_role("heading", name="Mes rapports")).to_be_visible()
    assert_accessible(cpip)
    cpip.locator("table tbody tr").first.locator("a").first.click()
    cpip.wait_for_url(re.compile(r"/rapports/[0-9a-f-]{36}/$"))
    assert_accessible(cpip)

    dpip = login("dpip.demo")
    dpip.goto("/rapports/a-valider/")
    expect(dpip.locator("table tbody tr").first).to_be_visible()
    assert_accessible(dpip)

    jap = login("jap.demo")
    jap.goto("/rapports/recus/")
    rows = jap.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    expect(jap.locator("main")).not_to_contain_text("Brouillon")
    assert_accessible(jap)
    rows.first.locator("a").first.click()
    jap.wait_for_url(re.compile(r"/rapports/[0-9a-f-]{36}/$"))
    assert_accessible(jap)
    with jap.expect_download() as download:
        jap.get_by_role("link", name="Télécharger le PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
