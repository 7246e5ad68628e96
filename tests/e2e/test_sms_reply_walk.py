"""Issue 18's SMS walk (desktop): the person answers "NON" to a reminder by SMS, the provider
posts it to the signed webhook, the appointment is declined and the CPIP sees it in "Messages
reçus" and on the appointment page. A replay changes nothing; a forged signature is refused.

The demo (notifications/demo.py) has sent reminders to the main CPIP's people; the test finds
one in the CPIP's outbox (the server's state is read through its pages only)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from playwright.sync_api import Page, expect

from tests.notifications.fake_provider import inbound_body, inbound_headers, post_inbound

from .conftest import E2E_MARKS, Server

pytestmark = E2E_MARKS

Login = Callable[..., Page]


def test_an_sms_no_declines_the_appointment_and_the_cpip_sees_it(
    login: Login, e2e_server: Server
) -> None:
    page = login("cpip.demo")
    page.goto("/notifications/?objet=rappel&etat=envoye&canal=sms")
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("Rappel")
    number = row.locator("td").nth(5).inner_text().strip()
    person = row.locator("td").nth(2).inner_text().strip()
    assert number, "no reminder sent in the demo outbox of cpip.demo"

    # The person answers NON; the provider posts it, signed with the demo secret.
    now = e2e_server.now()
    body = inbound_body("NON", number=number, received_at=now.isoformat())
    secret = settings.DEMO_SMS_INBOUND_SECRET
    headers = inbound_headers(body, secret=secret, timestamp=int(now.timestamp()))
    assert post_inbound(e2e_server.url, body, headers) == (200, {"statut": "recu"})
    # The provider retries the same message: nothing happens twice.
    again = inbound_headers(body, secret=secret, timestamp=int(e2e_server.now().timestamp()))
    assert post_inbound(e2e_server.url, body, again) == (200, {"statut": "deja_recu"})
    # A forged call is refused.
    forged = inbound_headers(body, forge=True, timestamp=int(e2e_server.now().timestamp()))
    status, answer = post_inbound(e2e_server.url, body, forged)
    assert status == 403
    assert "Signature invalide" in answer["erreur"]

    # "Messages reçus": the reply, matched to the person, and what was done with it.
    page.goto("/notifications/recus/?etat=tous")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages reçus")
    received = page.locator("table tbody tr").filter(has_text=person).first
    expect(received).to_contain_text("Ne peut pas venir")
    received.get_by_role("link", name="NON").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SMS reçu")
    page.get_by_role("link", name="Voir le rendez-vous").click()
    # The appointment page shows the person's answer, received by SMS.
    answer_line = page.locator("li").filter(has_text="réponse par sms").first
    expect(answer_line).to_contain_text("Ne peut pas venir")
