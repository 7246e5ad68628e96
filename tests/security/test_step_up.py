"""Step-up before bulk exports (security bar 8; parcours/accounts/mfa.py STEP_UP_VIEWS): the
right-of-access export and a partner's CSV ask for a new code when the session's last one is older
than PARCOURS_STEP_UP_SECONDS; the confirmation is journaled; other pages are not asked again."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from parcours.accounts import mfa
from parcours.accounts.devices import SealedTOTPDevice
from parcours.audit.models import AuditAction
from tests.conftest import Cast
from tests.helpers import text
from tests.security.test_two_factor import (
    code_of,
    enrolled,
    events,
    login,
    next_of,
    path_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

WINDOW = 600


@pytest.fixture(autouse=True)
def required(settings: Any) -> None:
    settings.PARCOURS_MFA_REQUIRED = True
    settings.PARCOURS_STEP_UP_SECONDS = WINDOW


def signed_in_with_code(user: Any, start: float) -> tuple[Client, Any]:
    """A client signed in with password and code at `start` (POSIX time); the device."""
    device, _codes = enrolled(user)
    client = Client()
    with _at(start):
        login(client, user.username)
        ok = client.post(reverse("mfa:verify"), {"code": code_of(device), "next": "/"})
        assert ok.status_code == 302
    return client, device


def _at(moment: float) -> Any:
    return time_machine.travel(moment, tick=False)


def test_the_right_of_access_export_asks_a_new_code_once_the_last_one_is_old(
    cast: Cast,
) -> None:
    start = time.time() + 60
    client, device = signed_in_with_code(cast.dpip, start)
    export = reverse("lifecycle:access_export", args=[cast.person.public_id])
    with _at(start + 30):
        assert client.get(export).status_code == 200  # the code is fresh
    with _at(start + WINDOW + 90):
        asked = client.get(export)
        assert path_of(asked) == reverse("mfa:verify")
        assert next_of(asked) == export
        page = client.get(asked["Location"])
        assert page.status_code == 200
        assert "Confirmez avec un nouveau code" in text(page)
        assert "La communication de toutes les données d'une personne" in text(page)
        # Any other page is not asked again.
        assert client.get(reverse("people:caseload")).status_code == 200
        wrong = client.post(asked["Location"], {"code": "000000", "next": export})
        assert wrong.status_code == 400
    with _at(start + WINDOW + 120):
        ok = client.post(asked["Location"], {"code": code_of(device), "next": export})
        assert ok.status_code == 302 and ok["Location"] == export
        produced = client.post(
            export, {"origin": "demande_directe", "reference": "Courrier du 3 décembre"}
        )
        assert produced.status_code == 200
        assert produced["Content-Type"] == "application/zip"
    [failure] = events(cast.dpip, mfa.ECHEC_CODE)
    assert failure.details["etape"] == "confirmation"
    [confirmed] = events(cast.dpip, mfa.CONFIRMATION)
    assert confirmed.details["page"] == export
    assert confirmed.details["operation"] == "lifecycle:access_export"
    assert confirmed.action == AuditAction.DOUBLE_FACTEUR


def test_a_form_posted_after_the_window_is_not_sent_before_the_code(cast: Cast) -> None:
    start = time.time() + 60
    client, _device = signed_in_with_code(cast.dpip, start)
    export = reverse("lifecycle:access_export", args=[cast.person.public_id])
    with _at(start + WINDOW + 60):
        late = client.post(export, {"origin": "demande_directe", "reference": "Courrier reçu"})
    assert path_of(late) == reverse("mfa:verify")
    assert not events(cast.dpip, mfa.CONFIRMATION)
    assert "Content-Disposition" not in late


def test_a_partner_csv_export_asks_a_new_code_and_enrolment_first(cast: Cast) -> None:
    csv = reverse("partners:inbox_csv")
    # Without a device, the export needs enrolment first (MFA required).
    bare = Client()
    bare.force_login(cast.partenaire)
    assert path_of(bare.get(csv)) == reverse("mfa:enrol")
    start = time.time() + 60
    client, device = signed_in_with_code(cast.partenaire, start)
    with _at(start + 10):
        assert client.get(csv).status_code == 200
    inbox = reverse("partners:inbox")
    with _at(start + WINDOW + 60):
        asked = client.get(csv)
        assert path_of(asked) == reverse("mfa:verify") and next_of(asked) == csv
        # From the link on the inbox: back to the inbox, not to a download left on the code page.
        linked = client.get(csv, HTTP_REFERER=f"http://testserver{inbox}")
        assert next_of(linked) == inbox
        ok = client.post(linked["Location"], {"code": code_of(device), "next": inbox})
        assert ok["Location"] == inbox
        assert client.get(csv)["Content-Type"].startswith("text/csv")


def test_the_confirmation_flag_does_not_ask_again_for_a_fresh_code_or_another_page(
    cast: Cast,
) -> None:
    start = time.time() + 60
    client, _device = signed_in_with_code(cast.dpip, start)
    export = reverse("lifecycle:access_export", args=[cast.person.public_id])
    caseload = reverse("people:caseload")
    verify = reverse("mfa:verify")
    with _at(start + 30):
        fresh = client.get(verify, {"next": export, mfa.CONFIRMING: "lifecycle:access_export"})
        assert fresh.status_code == 302 and fresh["Location"] == export
    with _at(start + WINDOW + 60):
        other = client.get(verify, {"next": caseload, mfa.CONFIRMING: "people:caseload"})
        assert other.status_code == 302 and other["Location"] == caseload


def test_new_recovery_codes_ask_a_new_code_and_the_button_is_pressed_again(cast: Cast) -> None:
    start = time.time() + 60
    client, device = signed_in_with_code(cast.cpip, start)
    settings_page = reverse("mfa:settings")
    regenerate = reverse("mfa:recovery_codes")
    before = sorted(StaticToken.objects.filter(device__user=cast.cpip).values_list("token"))
    with _at(start + WINDOW + 60):
        asked = client.post(regenerate, HTTP_REFERER=f"http://testserver{settings_page}")
        # Back to the page the button is on, once the code is given; nothing done meanwhile.
        assert path_of(asked) == reverse("mfa:verify") and next_of(asked) == settings_page
        assert sorted(StaticToken.objects.filter(device__user=cast.cpip).values_list("token")) == (
            before
        )
        assert not events(cast.cpip, mfa.CODES_REGENERES)
    with _at(start + WINDOW + 90):
        ok = client.post(asked["Location"], {"code": code_of(device), "next": settings_page})
        assert ok["Location"] == settings_page
        assert "Identité confirmée pour 10 min" in text(client.get(settings_page))
        shown = client.post(regenerate, HTTP_REFERER=f"http://testserver{settings_page}")
        assert shown.status_code == 200 and "Codes de secours" in text(shown)
    assert len(events(cast.cpip, mfa.CODES_REGENERES)) == 1
    [confirmed] = events(cast.cpip, mfa.CONFIRMATION)
    assert confirmed.details["operation"] == "mfa:recovery_codes"


def test_a_referer_from_another_site_is_not_where_the_user_is_sent_back(cast: Cast) -> None:
    start = time.time() + 60
    client, _device = signed_in_with_code(cast.cpip, start)
    remove = reverse("mfa:remove")
    with _at(start + WINDOW + 60):
        asked = client.post(remove, HTTP_REFERER="https://example.org/piege/")
    assert path_of(asked) == reverse("mfa:verify") and next_of(asked) == remove
    assert SealedTOTPDevice.objects.filter(user=cast.cpip).exists()


def test_an_admin_resetting_someone_s_second_factor_gives_a_new_code(cast: Cast) -> None:
    enrolled(cast.cpip)
    start = time.time() + 60
    admin, device = signed_in_with_code(cast.admin, start)
    url = reverse("mfa:admin_reset", args=[cast.cpip.public_id])
    with _at(start + WINDOW + 60):
        assert path_of(admin.get(url)) == reverse("mfa:verify")
        assert path_of(admin.post(url, HTTP_REFERER=f"http://testserver{url}")) == reverse(
            "mfa:verify"
        )
    assert SealedTOTPDevice.objects.filter(user=cast.cpip).exists()
    with _at(start + WINDOW + 90):
        verify = f"{reverse('mfa:verify')}?{mfa.CONFIRMING}=mfa:admin_reset"
        admin.post(verify, {"code": code_of(device), "next": url})
        assert admin.post(url).status_code == 302
    assert not SealedTOTPDevice.objects.filter(user=cast.cpip).exists()


def test_an_htmx_request_is_sent_to_the_code_page_whole(cast: Cast) -> None:
    start = time.time() + 60
    client, _device = signed_in_with_code(cast.cpip, start)
    with _at(start + WINDOW + 60):
        asked = client.post(reverse("mfa:recovery_codes"), HTTP_HX_REQUEST="true")
    assert asked.status_code == 204
    assert urlparse(asked["HX-Redirect"]).path == reverse("mfa:verify")
    assert not events(cast.cpip, mfa.CODES_REGENERES)
