"""The person's remote check-in and digital self-assessment at 390×844 (issue 18, items 2 and
4): the demo person signs in, sees the check-ins to answer on the home page, answers the due one,
fills the digital questionnaire and reads the suggestions. axe-core on each page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from parcours.space.demo import DEMO_BIRTH_DATE

from .conftest import E2E_MARKS, Server
from .test_accessibility import assert_accessible
from .test_space_walk import MOBILE, PHONE_TYPED, code_from_log

pytestmark = E2E_MARKS


def sign_in(phone: Page, server: Server) -> None:
    phone.goto("/espace/")
    since = server.log.stat().st_size
    phone.get_by_label(re.compile("numéro de téléphone portable")).fill(PHONE_TYPED)
    phone.get_by_label(re.compile("date de naissance")).fill(DEMO_BIRTH_DATE.isoformat())
    phone.get_by_role("button", name="Recevoir mon code").click()
    phone.wait_for_url(re.compile(r"/espace/code/$"))
    phone.get_by_label(re.compile("code à 6 chiffres")).fill(code_from_log(server, since))
    phone.get_by_role("button", name="Entrer dans mon espace").click()
    phone.wait_for_url(re.compile(r"/espace/accueil/$"))


def test_the_person_answers_a_check_in_and_the_digital_questionnaire(
    new_context, e2e_server: Server
) -> None:
    phone: Page = new_context(**MOBILE).new_page()
    sign_in(phone, e2e_server)
    expect(phone.locator("#compte-controles")).to_contain_text("à faire")
    assert_accessible(phone)

    # The due check-in (the demo gives one due today and one overdue, still open).
    phone.get_by_role("link", name="Mes contrôles à distance").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes contrôles à distance")
    assert_accessible(phone)
    cards = phone.locator("section.fr-card")
    before = cards.count()
    assert before >= 1
    first = cards.first
    first.get_by_text("Oui", exact=True).click()
    first.get_by_label(re.compile("Votre travail ou votre formation")).fill("Cariste en intérim")
    first.get_by_label(re.compile("Votre message")).fill("J'ai trouvé un travail.")
    first.get_by_role("button", name="Envoyer mon contrôle").click()
    expect(phone.locator(".fr-alert--success")).to_contain_text("contrôle est envoyé")
    expect(phone.locator("section.fr-card")).to_have_count(before - 1)
    expect(phone.locator(".fr-badge", has_text="reçu").first).to_be_visible()
    assert_accessible(phone)

    # A missing answer is said in French, on the same page.
    if before > 1:
        phone.locator("section.fr-card").first.get_by_role(
            "button", name="Envoyer mon contrôle"
        ).click()
        expect(phone.locator(".fr-message--error").first).to_contain_text("Répondez oui ou non.")
        assert_accessible(phone)

    # The digital-skills questionnaire, one page.
    phone.goto("/espace/accueil/")
    phone.get_by_role("link", name="Mon autoévaluation numérique").click()
    assert_accessible(phone)
    answers = {
        "J'ai un téléphone ou un ordinateur avec internet.": "Oui",
        "J'utilise mon téléphone pour appeler et envoyer des messages.": "Oui, seul",
        "J'envoie et je lis des courriels (e-mails).": "Oui, avec de l'aide",
        "Je fais des démarches sur internet (CAF, impôts, santé).": "Non",
        "Je cherche un emploi sur internet.": "Oui, seul",
        "Je veux de l'aide pour apprendre.": "Oui",
    }
    for question, answer in answers.items():
        group = phone.get_by_role("group", name=re.compile(re.escape(question)))
        group.get_by_text(answer, exact=True).click()
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.locator(".fr-alert--success")).to_contain_text("Merci d'avoir répondu")
    expect(phone.locator("#suggestions")).to_contain_text(
        "un atelier pour apprendre à utiliser internet"
    )
    assert_accessible(phone)
