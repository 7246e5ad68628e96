"""The person's own space at 390×844 (issue 18): the demo person signs in with the code printed
by the console SMS provider in the server's log, confirms an appointment, sends a photo of a
proof; the CPIP (desktop) accepts it and the person sees "accepté". axe-core on each page."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from parcours.space.demo import DEMO_BIRTH_DATE, DEMO_PHONE

from .conftest import E2E_MARKS, Server, _manage
from .test_accessibility import assert_accessible

pytestmark = E2E_MARKS

PHONE_TYPED = "06 12 18 00 18"
MOBILE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def code_from_log(server: Server, since: int) -> str:
    """The code of the last SMS to the demo number, from the console provider's log line."""
    deadline = time.monotonic() + 20
    pattern = re.compile(rf"SMS \(console\) à {re.escape(DEMO_PHONE)} .*? est (\d{{6}})")
    while time.monotonic() < deadline:
        with server.log.open("rb") as log:
            log.seek(since)
            found = pattern.findall(log.read().decode(errors="replace"))
        if found:
            return str(found[-1])
        time.sleep(0.2)
    raise AssertionError("Aucun code dans le journal du serveur")


def person_path(server: Server) -> str:
    start = server.log.stat().st_size
    _manage(
        server.env,
        server.log,
        "shell",
        "-c",
        "from parcours.people.models import Person; "
        f"print('PERSONNE-ESPACE', Person.objects.get(phone='{DEMO_PHONE}').public_id)",
    )
    with server.log.open("rb") as log:
        log.seek(start)
        found = re.search(r"PERSONNE-ESPACE ([0-9a-f-]{36})", log.read().decode())
    assert found
    return f"/personnes/{found.group(1)}/"


def small_jpeg(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (240, 240, 230)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_the_person_signs_in_answers_and_sends_a_proof(
    new_context, login, e2e_server: Server, tmp_path: Path
) -> None:
    phone: Page = new_context(**MOBILE).new_page()
    phone.goto("/espace/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon espace personnel")
    assert_accessible(phone)
    since = e2e_server.log.stat().st_size
    phone.get_by_label(re.compile("numéro de téléphone portable")).fill(PHONE_TYPED)
    phone.get_by_label(re.compile("date de naissance")).fill(DEMO_BIRTH_DATE.isoformat())
    phone.get_by_role("button", name="Recevoir mon code").click()
    phone.wait_for_url(re.compile(r"/espace/code/$"))
    assert_accessible(phone)
    phone.get_by_label(re.compile("code à 6 chiffres")).fill(code_from_log(e2e_server, since))
    phone.get_by_role("button", name="Entrer dans mon espace").click()
    phone.wait_for_url(re.compile(r"/espace/accueil/$"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(phone)

    # Confirm the next appointment.
    phone.get_by_role("link", name="Mes rendez-vous").click()
    assert_accessible(phone)
    phone.get_by_role("button", name="Je viendrai").first.click()
    expect(phone.locator(".fr-alert--success")).to_contain_text("vous viendrez")
    expect(phone.locator(".fr-badge", has_text="Votre réponse : je viendrai").first).to_be_visible()

    # Send a photo of a proof.
    phone.goto("/espace/justificatifs/")
    assert_accessible(phone)
    first = phone.locator("section.fr-card").first
    first.locator("input[type=file]").set_input_files(str(small_jpeg(tmp_path / "photo.jpg")))
    first.get_by_role("button", name="Envoyer").click()
    expect(phone.locator(".fr-alert--success")).to_contain_text("justificatif est envoyé")
    latest = phone.locator("section.fr-card").first.locator("li").first
    expect(latest).to_contain_text("en attente")

    phone.goto("/espace/messages/")
    expect(phone.locator(".fr-callout").first).to_be_visible()
    assert_accessible(phone)

    # The CPIP, on a desktop, accepts it from the person file.
    desk = login("cpip.demo")
    desk.goto(person_path(e2e_server))
    row = desk.locator("tr", has_text="Envoyé par la personne (espace personnel)").first
    row.get_by_role("button", name="Accepter").click()
    desk.wait_for_load_state("load")
    expect(
        desk.locator("tr", has_text="Envoyé par la personne (espace personnel)").first
    ).to_contain_text("Accepté")

    # The person sees it accepted.
    phone.goto("/espace/justificatifs/")
    expect(phone.locator("section.fr-card").first.locator("li").first).to_contain_text("accepté")

    # Sign out: the space is closed.
    phone.get_by_role("button", name="Me déconnecter").click()
    expect(phone.locator(".fr-alert--success")).to_contain_text("déconnecté")
    phone.goto("/espace/accueil/")
    expect(phone).to_have_url(re.compile(r"/espace/(\?.*)?$"))
