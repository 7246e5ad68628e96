"""Issue 17's walk (accompaniment): cpip.demo runs an initial assessment of a person of the demo
SPIP with a work obligation (the person's own view and the CPIP's judgement), builds a plan with
an "Emploi et formation" goal and a France Travail step, records the person's agreement; the demo
SPIP asks for a countersignature, so dpip.demo countersigns; from the step, "Orienter" creates the
France Travail referral (its kind needs no consent: the obligation is the court's) and the CPIP
sends it; partenaire.demo accepts it in "Mes orientations", records a session with attendance and
uploads an attestation; the CPIP accepts it as a justificatif and the obligation is "À jour"; a
"Rapport d'évaluation" then carries the plan's section.

The person is created in the demo SPIP by the walk itself, with a fresh sursis probatoire and
its work obligation (CP 132-45 1°): a person of the seeded caseload may already have a plan in
preparation or proofs overdue, which would make the walk depend on the seed's draw."""

from __future__ import annotations

import random
import re
import string
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from parcours.rules.measures import add_months

from .conftest import E2E_MARKS, Server, open_tab, path_of

pytestmark = E2E_MARKS

PERSON_PATH = re.compile(r"/personnes/[0-9a-f-]{36}/$")
PLAN_PATH = re.compile(r"/plans/[0-9a-f-]{36}/$")
REFERRAL_PATH = re.compile(r"/partenaires/orientation/[0-9a-f-]{36}/$")
FRANCE_TRAVAIL = "France Travail — agence de Lille"
GOAL = "Retrouver un emploi stable dans la logistique"
STEP = "S'inscrire à France Travail et suivre l'accompagnement renforcé"
# The domains that take the CPIP's need level (not "forces").
MESSAGE = "Inscription et accompagnement renforcé vers l'emploi (obligation de travail)."
JUDGED = (
    "logement",
    "emploi",
    "ressources",
    "sante",
    "famille",
    "reseau",
    "attitudes",
    "numerique",
)


def _check(page: Page, input_id: str) -> None:
    """A DSFR radio or checkbox: its input is covered by its label, which takes the click."""
    page.locator(f"label[for='{input_id}']").click()
    expect(page.locator(f"#{input_id}")).to_be_checked()


def _new_person_with_work_obligation(page: Page, today, name: str) -> str:
    start = today - timedelta(days=25)
    page.goto("/personnes/nouvelle/")
    page.locator("#id_last_name").fill(name)
    page.locator("#id_first_names").fill("Karim")
    page.locator("#id_birth_date").fill("1994-05-17")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(PERSON_PATH)
    person_path = path_of(page)
    page.get_by_role("link", name="Ajouter une mesure").click()
    page.locator("#id_measure_type").select_option(label="Sursis probatoire")
    page.locator("#id_judgment_date").fill(start.isoformat())
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_end_date").fill(add_months(start, 24).isoformat())
    page.locator("#id_probation_months").fill("24")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: person_path in url)
    page.get_by_role("link", name=re.compile("Ajouter une obligation")).first.click()
    page.locator("#id_type").select_option("cp_132_45_1")
    page.get_by_role("button", name="Continuer").click()
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_imposed_on").fill(start.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: person_path in url)
    expect(page.locator("p.compliance").first).to_contain_text("Justificatif attendu")
    return person_path


def _initial_assessment(page: Page, person_path: str) -> None:
    page.goto(person_path)
    open_tab(page, "Accompagnement")
    page.get_by_role("link", name="Nouvelle évaluation").click()
    page.locator("#id_kind").select_option("initiale")
    page.locator("#id_measure").select_option(index=1)
    page.get_by_role("button", name="Commencer l'évaluation").click()
    page.wait_for_url(re.compile(r"/evaluations/[0-9a-f-]{36}/saisie/$"))
    # The suggestions drawn from the file (the work obligation…), confirmed.
    for box in page.locator("input[name=confirmer]").all():
        _check(page, box.get_attribute("id") or "")
    for domain in JUDGED:
        _check(page, f"d-{domain}-need-{'modere' if domain == 'emploi' else 'aucun'}")
    page.locator("#d-emploi-person_view").fill(
        "Je veux reprendre un travail, idéalement dans un entrepôt."
    )
    page.locator("#d-emploi-person_level").select_option("modere")
    page.locator("#d-emploi-strengths").fill("Permis cariste, huit ans d'expérience.")
    # The last field typed; the autosave that carries it carries everything above (the whole
    # form is posted each time, one request at a time).
    with page.expect_response(
        lambda r: "/sauvegarde/" in r.url and "Cariste" in (r.request.post_data or "")
    ) as saved:
        page.locator("#d-emploi-reasons").fill("Cariste sans emploi depuis huit mois.")
        page.locator("#d-emploi-reasons").press("Tab")
    assert saved.value.status == 200
    expect(page.locator("#etat-sauvegarde")).to_contain_text("Enregistré")
    page.get_by_role("link", name="Terminer l'évaluation…").click()
    expect(page.get_by_text("À compléter avant de terminer")).to_have_count(0)
    page.get_by_role("button", name="Terminer l'évaluation").click()
    page.wait_for_url(re.compile(r"/evaluations/[0-9a-f-]{36}/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Terminée")
    expect(main).to_contain_text("Je veux reprendre un travail, idéalement dans un entrepôt.")
    expect(main).to_contain_text("Cariste sans emploi depuis huit mois.")


def _plan_with_france_travail_step(page: Page, person_path: str, today) -> str:
    page.goto(person_path)
    open_tab(page, "Accompagnement")
    page.locator("#plan").get_by_role("link", name="Préparer le plan").click()
    page.get_by_role("link", name="Préparer le plan").click()
    page.get_by_role("button", name="Ouvrir le plan").click()
    page.wait_for_url(PLAN_PATH)
    plan_path = path_of(page)
    page.get_by_role("link", name="Ajouter un objectif").click()
    page.locator("#id_domain").select_option("emploi")
    page.locator("#id_text").fill(GOAL)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: plan_path in url)
    page.get_by_role("link", name="Ajouter une étape").click()
    page.locator("#id_text").fill(STEP)
    page.locator("#id_actor").select_option("partenaire")
    page.locator("#id_partner").select_option(label=FRANCE_TRAVAIL)
    page.locator("#id_due_on").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: plan_path in url)
    main = page.locator("main")
    expect(main).to_contain_text("Emploi et formation")
    expect(main).to_contain_text(STEP)
    # The person's agreement: the demo SPIP then asks for a DPIP's countersignature.
    page.get_by_role("link", name="Enregistrer l'accord de la personne").click()
    _check(page, "id_mode_0")  # "Accord exprimé en entretien"
    page.locator("#id_person_words").fill("Je m'engage à aller aux rendez-vous.")
    page.get_by_role("button", name="Enregistrer l'accord").click()
    page.wait_for_url(lambda url: plan_path in url)
    expect(main).to_contain_text("attend la contresignature d'un DPIP")
    return plan_path


def _countersign(dpip: Page, plan_path: str) -> None:
    dpip.goto(plan_path)
    dpip.get_by_role("link", name="Contresigner", exact=True).click()
    dpip.get_by_role("button", name="Contresigner le plan").click()
    dpip.wait_for_url(lambda url: plan_path in url)
    expect(dpip.locator("main")).to_contain_text("Plan en vigueur depuis le")


def _refer_from_the_step(page: Page, plan_path: str) -> str:
    page.goto(plan_path)
    page.get_by_role("link", name=re.compile(r"^Orienter")).click()
    expect(page.locator("#etape-du-plan")).to_contain_text(STEP)
    # Prefilled from the step: the partner, the kind it accepts, the obligation it serves.
    expect(page.locator("#id_partner option:checked")).to_contain_text(FRANCE_TRAVAIL)
    expect(page.locator("#id_kind")).to_have_value("france_travail_emploi")
    obligation = page.locator("#id_obligation option:checked")
    expect(obligation).to_contain_text("activité professionnelle")
    expect(page.locator("#id_reason")).to_have_value(STEP)
    page.locator("#id_reason").fill(MESSAGE)  # the CPIP rereads what the partner will read
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(REFERRAL_PATH)
    referral_path = path_of(page)
    main = page.locator("main")
    expect(main).to_contain_text(STEP)  # the step it comes from
    expect(main).to_contain_text("non requis")  # France Travail: no consent needed
    page.get_by_role("button", name="Envoyer au partenaire").click()
    page.wait_for_url(lambda url: referral_path in url)
    expect(main.locator("span.fr-badge").first).to_have_text("Envoyée")
    # The plan shows the referral's status beside the step.
    page.goto(plan_path)
    row = page.locator("tr", has_text=STEP)
    expect(row).to_contain_text(f"Orientation vers {FRANCE_TRAVAIL}")
    expect(row).to_contain_text("Envoyée")
    return referral_path


def _partner_delivers(partner: Page, name: str, today, tmp_path: Path) -> None:
    partner.goto("/partenaires/mes-orientations/")
    expect(partner.get_by_role("heading", name="Mes orientations")).to_be_visible()
    partner.get_by_role("link", name=re.compile(name, re.IGNORECASE)).click()
    partner.wait_for_url(re.compile(r"/mes-orientations/[0-9a-f-]{36}/$"))
    detail_path = path_of(partner)
    main = partner.locator("main")
    expect(main).to_contain_text(MESSAGE)
    expect(main).not_to_contain_text(GOAL)  # the plan stays with the SPIP
    partner.get_by_role("button", name="Accepter").click()
    partner.wait_for_url(lambda url: detail_path in url)
    partner.get_by_role("link", name="Enregistrer une séance").click()
    partner.locator("#id_day").fill(today.isoformat())
    _check(partner, "id_attended_0")  # Présent
    partner.locator("#id_note").fill("Inscription faite, premier atelier CV suivi.")
    partner.get_by_role("button", name="Enregistrer").click()
    partner.wait_for_url(lambda url: detail_path in url)
    expect(main).to_contain_text("Inscription faite, premier atelier CV suivi.")
    pdf = tmp_path / "attestation-france-travail.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with pdf.open("wb") as handle:
        writer.write(handle)
    partner.get_by_role("link", name="Déposer une attestation").click()
    partner.locator("#id_received_on").fill(today.isoformat())
    partner.locator("#id_file").set_input_files(str(pdf))
    partner.get_by_role("button", name="Enregistrer").click()
    partner.wait_for_url(lambda url: detail_path in url)
    expect(main).to_contain_text("Attestation déposée")


def test_assessment_plan_referral_attestation_and_report(
    login, e2e_server: Server, tmp_path: Path
) -> None:
    today = e2e_server.today()
    name = "Parcours" + "".join(random.choices(string.ascii_lowercase, k=6))
    cpip = login("cpip.demo")
    person_path = _new_person_with_work_obligation(cpip, today, name)
    _initial_assessment(cpip, person_path)
    plan_path = _plan_with_france_travail_step(cpip, person_path, today)
    _countersign(login("dpip.demo"), plan_path)
    _refer_from_the_step(cpip, plan_path)
    _partner_delivers(login("partenaire.demo"), name, today, tmp_path)

    # The CPIP sees the pending justificatif on the obligation, accepts it: "à jour".
    cpip.goto(person_path)
    obligation = cpip.locator("div[id^=obligation-]", has_text="activité professionnelle")
    expect(obligation).to_contain_text("En attente")
    obligation.get_by_role("button", name="Accepter").click()
    cpip.wait_for_url(lambda url: person_path in url)
    expect(obligation.locator("p.compliance")).to_contain_text("À jour")

    # The report to the judge: a "Rapport d'évaluation", with the plan's section.
    open_tab(cpip, "Notes et rapports")
    cpip.get_by_role("link", name="Nouveau rapport").click()
    cpip.locator("#id_kind").select_option("evaluation")
    cpip.get_by_role("button", name="Créer le rapport").click()
    cpip.wait_for_url(re.compile(r"/rapports/[0-9a-f-]{36}/rediger/$"))
    expect(cpip.locator("#id_section-identite")).to_have_value(re.compile(name, re.IGNORECASE))
    # Prefilled from the plan in force (its France Travail step) and the finished assessment.
    expect(cpip.locator("#id_section-plan")).to_have_value(re.compile(re.escape(STEP)))
    expect(cpip.locator("#id_section-evaluation")).to_have_value(
        re.compile("^Évaluation initiale terminée le ")
    )
