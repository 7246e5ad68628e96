"""Two-factor sign-in (parcours/accounts/mfa.py, docs/adr/0014): TOTP codes computed here from the
device's key, recovery codes used once, the gate for administrators and DPIP, break-the-glass and
exports behind a verified session, throttling, the journal, `next` kept on this site; and a draft
that survives an expired session."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from parcours.accounts import mfa, sealing
from parcours.accounts.devices import SealedTOTPDevice
from parcours.accounts.middleware import LAST_SEEN_KEY
from parcours.audit.models import AuditAction, AuditEvent
from tests.conftest import Cast
from tests.helpers import client_for, quiet, text
from tests.reports.factories import draft_report
from tests.test_access_matrix import collect_url_names, url_kwargs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture(autouse=True)
def required(settings: Any) -> None:
    settings.PARCOURS_MFA_REQUIRED = True


def code_of(device: SealedTOTPDevice, *, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows now (or at `at`) for this device."""
    if at is not None:
        with time_machine.travel(at, tick=False):
            return code_of(device)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def later(seconds: int) -> Any:
    """The clock `seconds` from now, frozen (a new TOTP step; throttling delays passed)."""
    return time_machine.travel(time.time() + seconds, tick=False)


def enrolled(user: Any) -> tuple[SealedTOTPDevice, list[str]]:
    device = mfa.pending_device(user)
    check, codes = mfa.confirm_enrolment(user, device, code_of(device))
    assert check.ok
    device.refresh_from_db()
    return device, codes


def login(client: Client, username: str, next_url: str = "") -> Any:
    data = {"username": username, "password": settings.DEMO_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def events(user: Any, event: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.DOUBLE_FACTEUR,
            object_id=str(user.public_id),
            details__evenement=event,
        ).order_by("pk")
    )


def path_of(response: Any) -> str:
    return urlparse(response["Location"]).path


def next_of(response: Any) -> str:
    return parse_qs(urlparse(response["Location"]).query).get("next", [""])[0]


# --- Enrolment ----------------------------------------------------------------------------------


def test_dpip_enrols_with_a_real_code_and_sees_ten_recovery_codes_once(cast: Cast) -> None:
    client = quiet(cast.dpip)
    home = client.get("/")
    assert home.status_code == 302
    assert path_of(home) == reverse("mfa:enrol")
    page = client.get(reverse("mfa:enrol"))
    assert page.status_code == 200
    body = text(page)
    assert "<svg" in body and "Clé à saisir à la main" in body
    # The QR code has a text alternative (its role and title).
    assert '<svg role="img"' in body and f"<title>{mfa.QR_TITLE}</title>" in body.replace(
        "&#x27;", "'"
    )
    device = SealedTOTPDevice.objects.get(user=cast.dpip, confirmed=False)
    # The key shown is the device's (base32, by groups of four).
    assert mfa.manual_key(device) in body

    bad = "000000" if code_of(device) != "000000" else "111111"
    wrong = client.post(reverse("mfa:enrol"), {"code": bad})
    assert wrong.status_code == 400
    assert "Code incorrect" in text(wrong)
    assert events(cast.dpip, mfa.ECHEC_CODE)

    with later(5):
        done = client.post(reverse("mfa:enrol"), {"code": code_of(device), "next": "/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in text(done) for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert [e.actor_id for e in events(cast.dpip, mfa.ACTIVATION)] == [cast.dpip.pk]
    # The session is verified: every page is open; the codes are never shown again.
    assert client.get(reverse("people:team")).status_code == 200
    settings_page = client.get(reverse("mfa:settings"))
    assert "Codes de secours restants : 10" in text(settings_page)
    assert not any(code in text(settings_page) for code in codes)


def test_admin_and_dpip_without_device_reach_no_page_but_enrolment(cast: Cast) -> None:
    names = sorted(collect_url_names() - mfa.EXEMPT_VIEWS)
    assert len(names) > 50
    for user in (cast.admin, cast.dpip):
        client = quiet(user)
        for name in names:
            url = reverse(name, kwargs=url_kwargs(name, cast))
            response = client.get(url)
            assert response.status_code == 302, (user.username, name, response.status_code)
            assert path_of(response) == reverse("mfa:enrol"), (user.username, name)
            assert next_of(response) == url
        assert client.get(reverse("mfa:enrol")).status_code == 200
        assert client.get(reverse("core:health")).status_code == 200
        assert client.post(reverse("accounts:logout")).status_code == 302


def test_not_required_when_the_setting_is_off_as_in_the_demo(cast: Cast, settings: Any) -> None:
    settings.PARCOURS_MFA_REQUIRED = False
    assert quiet(cast.admin).get(reverse("accounts:user_list")).status_code == 200
    assert quiet(cast.dpip).get(reverse("people:team")).status_code == 200


def test_a_cpip_without_device_works_but_breaking_the_glass_needs_enrolment(cast: Cast) -> None:
    client = quiet(cast.cpip2)
    assert client.get(reverse("people:caseload")).status_code == 200
    motif = reverse("people:motif", args=[cast.person.public_id])
    response = client.get(motif)
    assert path_of(response) == reverse("mfa:enrol")
    assert next_of(response) == motif
    page = client.get(response["Location"], follow=False)
    assert "accès exceptionnel au dossier" in text(page)
    assert "exige la double authentification" in text(page)
    assert page.context["next"] == motif
    # Enrolled, the user comes back to the motif page, which opens.
    device = SealedTOTPDevice.objects.get(user=cast.cpip2, confirmed=False)
    done = client.post(reverse("mfa:enrol"), {"code": code_of(device), "next": motif})
    assert done.status_code == 200
    assert f'href="{motif}"' in done.content.decode()
    assert client.get(motif).status_code == 200


def test_exports_need_a_verified_session(cast: Cast) -> None:
    from tests.reports.factories import report_in

    report = report_in(cast.person, "transmis")
    url = reverse("reports:pdf", args=[report.public_id])
    response = quiet(cast.cpip).get(url)
    assert path_of(response) == reverse("mfa:enrol")
    assert next_of(response) == url
    assert not AuditEvent.objects.filter(
        action__in=(AuditAction.EXPORT, AuditAction.CONSULTATION), object_id=str(report.public_id)
    ).exists()


# --- Sign-in with a code --------------------------------------------------------------------------


def test_login_asks_the_code_after_the_password(cast: Cast) -> None:
    device, _codes = enrolled(cast.cpip)
    client = Client()
    caseload = reverse("people:caseload")
    response = login(client, "cpip", caseload)
    assert path_of(response) == caseload
    asked = client.get(caseload)
    assert path_of(asked) == reverse("mfa:verify")
    assert next_of(asked) == caseload
    # Nothing else opens before the code, the charter page included.
    for url in ("/", reverse("accounts:charter"), reverse("mfa:settings")):
        assert path_of(client.get(url)) == reverse("mfa:verify")
    with later(60):
        wrong = client.post(reverse("mfa:verify"), {"code": "12345", "next": caseload})
        assert wrong.status_code == 400
        assert "Code incorrect" in text(wrong)
    with later(120):
        ok = client.post(reverse("mfa:verify"), {"code": code_of(device), "next": caseload})
        assert ok.status_code == 302
        assert ok["Location"] == caseload
        assert client.get(caseload).status_code == 200
    failures = events(cast.cpip, mfa.ECHEC_CODE)
    assert len(failures) == 1 and failures[0].details["etape"] == "connexion"


def test_a_code_is_not_accepted_twice(cast: Cast) -> None:
    device, _codes = enrolled(cast.cpip)
    with later(60):
        code = code_of(device)
        assert mfa.verify(cast.cpip, code).ok
        again = mfa.verify(cast.cpip, code)
    assert not again.ok


def test_a_recovery_code_works_once(cast: Cast) -> None:
    _device, codes = enrolled(cast.cpip)
    first = Client()
    login(first, "cpip")
    response = first.post(reverse("mfa:verify"), {"code": codes[3].upper(), "next": "/"})
    assert response.status_code == 302
    assert first.get(reverse("people:caseload")).status_code == 200
    used = events(cast.cpip, mfa.CODE_SECOURS_UTILISE)
    assert len(used) == 1 and used[0].details["restants"] == 9
    assert not StaticToken.objects.filter(token=sealing.code_digest(codes[3])).exists()
    assert StaticToken.objects.filter(device__user=cast.cpip).count() == 9
    with later(5):
        second = Client()
        login(second, "cpip")
        refused = second.post(reverse("mfa:verify"), {"code": codes[3]})
    assert refused.status_code == 400
    assert path_of(second.get("/")) == reverse("mfa:verify")


def test_wrong_codes_are_throttled_with_a_french_message(cast: Cast) -> None:
    device, _codes = enrolled(cast.cpip)
    client = Client()
    login(client, "cpip")
    with later(60):
        good = code_of(device)
        bad = "000000" if good != "000000" else "111111"
        assert client.post(reverse("mfa:verify"), {"code": bad}).status_code == 400
        # Within the delay, even the right code is refused without being checked.
        throttled = client.post(reverse("mfa:verify"), {"code": good})
        assert throttled.status_code == 429
        assert "Trop de codes erronés" in text(throttled)
        assert path_of(client.get("/")) == reverse("mfa:verify")
    with later(62):
        assert client.post(reverse("mfa:verify"), {"code": good}).status_code == 302
    journaled = events(cast.cpip, mfa.ECHEC_CODE)
    assert [e.details["bloque"] for e in journaled] == [False, True]


@pytest.mark.parametrize(
    "target",
    [
        "https://pirate.example/",
        "//pirate.example/",
        "http://testserver.pirate.example/x",
        "/\\pirate.example",
    ],
)
def test_next_never_leaves_the_site(cast: Cast, target: str) -> None:
    device, _codes = enrolled(cast.cpip)
    client = Client()
    login(client, "cpip")
    with later(60):
        response = client.post(reverse("mfa:verify"), {"code": code_of(device), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- The user's page and the administrator's reset ---------------------------------------------


def test_regenerated_codes_replace_the_old_ones(cast: Cast) -> None:
    device, old = enrolled(cast.cpip)
    client = client_for(cast.cpip)
    with later(60):
        client.post(reverse("mfa:verify"), {"code": code_of(device)})
    response = client.post(reverse("mfa:recovery_codes"))
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert not mfa.verify(cast.cpip, old[0]).ok
    with later(70):
        assert mfa.verify(cast.cpip, new[0]).ok
    assert len(events(cast.cpip, mfa.CODES_REGENERES)) == 1


def test_dpip_removing_the_device_must_enrol_again_at_once(cast: Cast) -> None:
    device, _codes = enrolled(cast.dpip)
    client = client_for(cast.dpip)
    with later(60):
        client.post(reverse("mfa:verify"), {"code": code_of(device)})
    assert client.get(reverse("people:team")).status_code == 200
    response = client.post(reverse("mfa:remove"))
    assert path_of(response) == reverse("mfa:enrol")
    assert not SealedTOTPDevice.objects.filter(user=cast.dpip).exists()
    assert path_of(client.get("/")) == reverse("mfa:enrol")
    assert [e.actor_id for e in events(cast.dpip, mfa.DESACTIVATION)] == [cast.dpip.pk]


def test_an_admin_resets_a_lost_device_journaled(cast: Cast) -> None:
    device, _codes = enrolled(cast.cpip)
    victim = client_for(cast.cpip)
    with later(60):
        victim.post(reverse("mfa:verify"), {"code": code_of(device)})
    assert victim.get(reverse("people:caseload")).status_code == 200

    admin = client_for(cast.admin)
    with later(90):
        admin_device, _ = enrolled(cast.admin)
    with later(120):
        admin.post(reverse("mfa:verify"), {"code": code_of(admin_device)})
    url = reverse("mfa:admin_reset", args=[cast.cpip.public_id])
    assert "Réinitialiser" in text(admin.get(url))
    assert admin.post(url).status_code == 302
    assert not SealedTOTPDevice.objects.filter(user=cast.cpip).exists()
    reset = events(cast.cpip, mfa.REINITIALISATION)
    assert [e.actor_id for e in reset] == [cast.admin.pk]
    # The user's verified session ends with the device; a CPIP may go on without one.
    assert victim.get(reverse("people:caseload")).status_code == 200
    assert quiet(cast.cpip2).get(url).status_code == 403


# --- Session expiry keeps the draft ---------------------------------------------------------------


def test_an_autosaved_draft_survives_an_expired_session(cast: Cast) -> None:
    """The report editor autosaves to the server (and to localStorage): after an idle expiry and
    a new sign-in, the draft is there."""
    report = draft_report(cast.person)
    client = Client()
    login(client, "cpip")
    saved = client.post(
        reverse("reports:autosave", args=[report.public_id]),
        data=json.dumps({"version": report.version, "content": {"evolution": "Texte en cours"}}),
        content_type="application/json",
    )
    assert saved.status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.PARCOURS_SESSION_IDLE_SECONDS - 5
    session.save()
    edit = reverse("reports:edit", args=[report.public_id])
    expired = client.get(edit)
    assert "expiree=1" in expired["Location"]
    login(client, "cpip", edit)
    assert "Texte en cours" in text(client.get(edit))


def test_whether_a_device_exists_is_read_at_login(cast: Cast) -> None:
    assert client_for(cast.cpip).session[mfa.STATE_KEY] == mfa.NO_DEVICE
    enrolled(cast.cpip)
    assert client_for(cast.cpip).session[mfa.STATE_KEY] == mfa.HAS_DEVICE
