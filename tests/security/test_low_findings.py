"""Issue 14, low findings 8 (a–j) and 9: each test replays the attack of the review and fails if
the finding comes back. The names say which finding (finding8a … finding9)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from parcours.agenda.models import CalendarFeed
from parcours.audit.models import AuditAction, AuditEvent
from parcours.core.context import client_ip
from parcours.people.models import Person
from parcours.people.services import APPI_TAKEN
from parcours.reports import services as report_services
from parcours.rules import reports as rules

from ..agenda.factories import agenda_for, first_appointment, make_appointment
from ..conftest import Cast
from ..factories import PersonFactory
from ..helpers import client_for, quiet, text
from ..obligations.factories import first_proof
from ..reports.factories import draft_report, first_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]
LOGIN = "/connexion/"


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- a. The admin journal shows no name of a person followed ----------------------------------


def test_finding8a_admin_journal_shows_no_person_names(cast: Cast) -> None:
    # A consultation, a refusal and a letter: rows whose label names Lucas Durand.
    assert client_for(cast.cpip).get(reverse("people:detail", args=[cast.person.public_id]))
    assert AuditEvent.objects.filter(object_label__icontains="Durand").exists()
    admin = client_for(cast.admin)
    page = text(admin.get(reverse("audit:journal")))
    assert "Durand" not in page and "DURAND" not in page and "Lucas" not in page
    # The technical data stays: who, the action, the object type and public id.
    assert str(cast.person.public_id) in page
    assert "cpip" in page
    # A search by name finds nothing for an administrator (it would confirm the name exists)…
    by_name = admin.get(reverse("audit:journal"), {"objet": "Durand"})
    assert by_name.status_code == 200 and by_name.context["page"].paginator.count == 0
    # … a search by the public id does.
    by_id = admin.get(reverse("audit:journal"), {"objet": str(cast.person.public_id)})
    assert by_id.context["page"].paginator.count >= 1
    # The DPIP of the SPIP still reads the names (their own SPIP's journal).
    assert "DURAND" in text(client_for(cast.dpip).get(reverse("audit:journal")))


def test_finding8a_admin_journal_hides_motif_details(cast: Cast) -> None:
    client = client_for(cast.cpip2)
    client.post(
        reverse("people:motif", args=[cast.person.public_id]),
        {"motif": "autre", "detail": "Appel de Madame Durand mère"},
    )
    page = text(client_for(cast.admin).get(reverse("audit:journal")))
    assert "Madame Durand" not in page
    assert "Madame Durand" in text(client_for(cast.dpip).get(reverse("audit:journal")))


# --- b. A CPIP opens their own agenda only ----------------------------------------------------


def test_finding8b_cpip_cannot_open_a_colleagues_agenda(cast: Cast) -> None:
    colleague_agenda = agenda_for(cast, cast.cpip2)
    own_agenda = agenda_for(cast, cast.cpip)
    follower = PersonFactory(
        spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2, last_name="Vasseur"
    )
    appointment = make_appointment(cast, person=follower)
    appointment.agenda, appointment.agent = colleague_agenda, cast.cpip2
    appointment.save()
    day = appointment.starts_at.astimezone(colleague_agenda.place.tz).date().isoformat()
    url = reverse("agenda:day")
    cpip = quiet(cast.cpip)
    response = cpip.get(url, {"agenda": colleague_agenda.pk, "day": day})
    assert response.status_code == 400
    assert "Vasseur" not in text(response).title()
    # The select offers the CPIP's own agenda only.
    page = cpip.get(url)
    assert page.status_code == 200
    choices = [value for value, _ in page.context["form"].fields["agenda"].choices if value]
    assert choices == [own_agenda.pk]
    # The DPIP and the secretariat open every agenda of the SPIP (access matrix).
    for role in (cast.dpip, cast.secretariat):
        seen = client_for(role).get(url, {"agenda": colleague_agenda.pk, "day": day})
        assert seen.status_code == 200 and "VASSEUR" in text(seen).upper()


# --- c. The APPI-number check does not reveal another SPIP ------------------------------------


def _new_person(**overrides: Any) -> dict[str, Any]:
    data = {
        "last_name": "Lemoine",
        "first_names": "Théo",
        "birth_date": "1995-04-12",
        "sex": "M",
        "housing": "personnel",
        "phone": "06 12 34 56 78",
        "appi_number": "",
    }
    return {**data, **overrides}


def test_finding8c_appi_clash_answers_the_same_inside_and_outside_the_spip(cast: Cast) -> None:
    cast.other_person.appi_number = "202300000042"
    cast.other_person.save()
    cast.person.appi_number = "202300000043"
    cast.person.save()
    client = quiet(cast.cpip)
    before = _last_id()
    elsewhere = client.post(reverse("people:create"), _new_person(appi_number="202300000042"))
    inside = client.post(reverse("people:create"), _new_person(appi_number="202300000043"))
    assert elsewhere.status_code == inside.status_code == 400
    assert elsewhere.context["form"].errors["appi_number"] == [APPI_TAKEN]
    assert inside.context["form"].errors["appi_number"] == [APPI_TAKEN]
    page = text(elsewhere)
    for hint in ("Réunion", cast.other_person.last_name, "autre SPIP", "autre service"):
        assert hint not in page
    # The cross-SPIP clash is journaled (under the agent's SPIP, no identity of the other file);
    # the clash inside the SPIP is not a refusal of anything hidden.
    refusals = AuditEvent.objects.filter(
        id__gt=before, action=AuditAction.REFUS, object_type="numero_appi"
    )
    assert refusals.count() == 1
    event = refusals.get()
    assert event.spip_id == cast.spip.pk and event.person_public_id is None
    assert event.object_label == "" and event.object_id == ""
    assert not Person.objects.filter(last_name="Lemoine").exists()


# --- d. A transfer over a newer version is refused (409) --------------------------------------


def test_finding8d_stale_transfer_is_refused(cast: Cast) -> None:
    url = reverse("people:transfer", args=[cast.person.public_id])
    dpip, cpip = client_for(cast.dpip), client_for(cast.cpip)
    stale_version = dpip.get(url).context["form"]["version"].value()
    assert stale_version == cast.person.version
    # The referent edits the file meanwhile (or a second transfer happens).
    edit = reverse("people:edit", args=[cast.person.public_id])
    saved = cpip.post(
        edit,
        _new_person(
            last_name="Durand",
            first_names="Lucas",
            birth_date="1990-05-17",
            housing="hotel",
            version=cast.person.version,
        ),
    )
    assert saved.status_code == 302
    response = dpip.post(
        url, {"new_referent": cast.cpip2.pk, "reason": "Rééquilibrage", "version": stale_version}
    )
    assert response.status_code == 409
    assert "Rien n'a été transféré" in text(response)
    cast.person.refresh_from_db()
    assert cast.person.referent == cast.cpip
    assert not AuditEvent.objects.filter(action=AuditAction.TRANSFERT).exists()
    assert cast.person.assignments.filter(ended_at__isnull=True).get().cpip == cast.cpip
    # Without a version at all: refused too.
    missing = dpip.post(url, {"new_referent": cast.cpip2.pk, "reason": "Rééquilibrage"})
    assert missing.status_code == 409
    # With the current version: transferred, version bumped.
    fresh = dpip.post(
        url,
        {"new_referent": cast.cpip2.pk, "reason": "Rééquilibrage", "version": cast.person.version},
    )
    assert fresh.status_code == 302
    cast.person.refresh_from_db()
    assert cast.person.referent == cast.cpip2 and cast.person.version == stale_version + 2


# --- e. Invisible characters do not defeat the duplicate check --------------------------------


@pytest.mark.parametrize(
    ("last_name", "first_names"),
    [
        ("Du\u200brand", "Lucas"),  # zero-width space
        ("Durand\u200d", "Lu\u2060cas"),  # zero-width joiner, word joiner
        ("\u202eDurand", "Lucas\u202c"),  # right-to-left override, pop directional formatting
        ("\u2067Durand\u2069", "\ufeffLucas"),  # isolates, BOM
        ("Durand", "Luc\u00adas"),  # soft hyphen
    ],
)
def test_finding8e_invisible_characters_do_not_defeat_the_duplicate_check(
    cast: Cast, last_name: str, first_names: str
) -> None:
    data = _new_person(last_name=last_name, first_names=first_names, birth_date="1990-05-17")
    client = client_for(cast.cpip)
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 409
    assert response.context["duplicates"] == [cast.person]
    # Confirmed anyway: what is stored is the clean name.
    confirmed = client.post(reverse("people:create"), {**data, "confirmer_doublon": "1"})
    assert confirmed.status_code == 302
    created = Person.objects.exclude(pk=cast.person.pk).get(spip=cast.spip, birth_date="1990-05-17")
    assert created.last_name == "Durand" and created.first_names == "Lucas"


def test_finding8e_decomposed_accents_are_the_same_name(cast: Cast) -> None:
    cast.person.first_names = "Léa"
    cast.person.save()
    data = _new_person(last_name="Durand", first_names="Le\u0301a", birth_date="1990-05-17")
    response = client_for(cast.cpip).post(reverse("people:create"), data)
    assert response.status_code == 409
    assert response.context["form"].cleaned_data["first_names"] == "Léa"


def test_finding8e_control_characters_are_refused_in_french(cast: Cast) -> None:
    response = quiet(cast.cpip).post(
        reverse("people:create"), _new_person(last_name="Du\trand", birth_name="X\x1by")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "caractère de contrôle" in errors["last_name"][0]
    assert "caractère de contrôle" in errors["birth_name"][0]


# --- f. Refused attempts on case objects are journaled ----------------------------------------


def test_finding8f_refused_door_attempts_are_journaled(cast: Cast) -> None:
    url = reverse("people:detail", args=[cast.person.public_id])
    before = _last_id()
    assert quiet(cast.cpip_autre).get(url).status_code == 404
    assert quiet(cast.partenaire).get(url).status_code == 403
    unknown = "3f1c6a52-0000-4000-8000-000000000000"
    assert quiet(cast.cpip).get(reverse("people:detail", args=[unknown])).status_code == 404
    rows = list(AuditEvent.objects.filter(id__gt=before, action=AuditAction.REFUS).order_by("id"))
    assert [(e.action, e.actor_id, e.details["statut"]) for e in rows] == [
        (AuditAction.REFUS, cast.cpip_autre.pk, 404),
        (AuditAction.REFUS, cast.partenaire.pk, 403),
        (AuditAction.REFUS, cast.cpip.pk, 404),
    ]
    other, partner, missing = rows
    assert other.object_type == "personne" and other.object_id == str(cast.person.public_id)
    # Nothing read from the object: no label, no person, the SPIP of the one who asked.
    assert other.object_label == "" and other.person_public_id is None
    assert other.spip_id == cast.other_spip.pk
    assert partner.spip_id is None
    assert missing.object_id == unknown


def test_finding8f_a_granted_page_journals_no_refusal(cast: Cast) -> None:
    before = _last_id()
    assert client_for(cast.cpip).get(reverse("people:detail", args=[cast.person.public_id]))
    assert not AuditEvent.objects.filter(id__gt=before, action=AuditAction.REFUS).exists()


# --- g. The client's X-Request-ID is kept only when safe --------------------------------------


@pytest.mark.parametrize(
    "incoming",
    [
        "abcdefgh\n",
        "abc\nSet-Cookie: x=1",
        "<script>alert(1)</script>",
        "a" * 65,
        "id avec espaces",
        "é",
    ],
)
def test_finding8g_unsafe_request_id_is_replaced(cast: Cast, incoming: str) -> None:
    before = _last_id()
    response = quiet(cast.cpip).get(
        reverse("people:detail", args=[cast.person.public_id]), HTTP_X_REQUEST_ID=incoming
    )
    assert response.status_code == 200
    generated = response["X-Request-ID"]
    assert generated != incoming and len(generated) == 32
    event = AuditEvent.objects.get(id__gt=before, action=AuditAction.CONSULTATION)
    assert event.request_id == generated


def test_finding8g_safe_request_id_is_kept(cast: Cast) -> None:
    before = _last_id()
    response = client_for(cast.cpip).get(
        reverse("people:detail", args=[cast.person.public_id]), HTTP_X_REQUEST_ID="rp-01.a_B"
    )
    assert response["X-Request-ID"] == "rp-01.a_B"
    consulted = AuditEvent.objects.get(id__gt=before, action=AuditAction.CONSULTATION)
    assert consulted.request_id == "rp-01.a_B"


# --- h. A colleague's convocation download journals the motif ---------------------------------


def test_finding8h_colleague_letter_download_journals_the_motif(cast: Cast) -> None:
    appointment = first_appointment(cast)
    client = client_for(cast.cpip2)
    detail = "Permanence du jeudi, remplacement de Camille"
    client.post(
        reverse("people:motif", args=[cast.person.public_id]),
        {"motif": "autre", "detail": detail},
    )
    before = _last_id()
    response = client.get(reverse("agenda:letter", args=[appointment.public_id, "pdf"]))
    assert response.status_code == 200
    export = AuditEvent.objects.get(id__gt=before, action=AuditAction.EXPORT)
    assert export.motif == "autre" and export.motif_detail == detail
    assert export.person_public_id == cast.person.public_id
    # The referent's download says why too.
    before = _last_id()
    client_for(cast.cpip).get(reverse("agenda:letter", args=[appointment.public_id, "docx"]))
    assert AuditEvent.objects.get(id__gt=before, action=AuditAction.EXPORT).motif == "referent"


# --- i. Case-data files are private, no-store -------------------------------------------------


def test_finding8i_calendar_feed_is_private_no_store(cast: Cast) -> None:
    token = "jeton-secret-du-flux-de-test-0123456789"
    CalendarFeed.objects.create(
        user=cast.cpip, token_hash=hashlib.sha256(token.encode()).hexdigest()
    )
    response = Client().get(reverse("agenda:ical", args=[token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_finding8i_case_files_are_private_no_store(cast: Cast) -> None:
    appointment = first_appointment(cast)
    urls = [
        reverse("agenda:letter", args=[appointment.public_id, "pdf"]),
        reverse("agenda:letter", args=[appointment.public_id, "docx"]),
        reverse("obligations:proof_download", args=[first_proof(cast.person).public_id]),
        reverse("reports:pdf", args=[first_report(cast.person, "transmis").public_id]),
        reverse("reports:docx", args=[first_report(cast.person, "transmis").public_id]),
        reverse("agenda:reception_pdf"),
        reverse("people:detail", args=[cast.person.public_id]),
    ]
    client = client_for(cast.cpip)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        assert response["Cache-Control"] == "private, no-store", url


# --- j. The client IP behind a trusted proxy only ---------------------------------------------


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_finding8j_spoofed_forwarded_for_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.9.0.0/16"]
    # Without a trusted proxy configured, and from an untrusted address: REMOTE_ADDR.
    assert client_ip(_request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("10.9.0.1", "203.0.113.5")) == "10.9.0.1"


def test_finding8j_trusted_proxy_forwarded_for_is_used(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.9.0.0/16", "2001:db8::1"]
    assert client_ip(_request("10.9.0.1", "203.0.113.5")) == "203.0.113.5"
    # The right-most untrusted address: what the client wrote on the left is not believed.
    assert client_ip(_request("10.9.0.1", "1.2.3.4, 203.0.113.5, 10.9.0.2")) == "203.0.113.5"
    assert client_ip(_request("2001:db8::1", "2001:db8::77")) == "2001:db8::77"
    # Garbage in the header: the last trusted hop, never the garbage.
    assert client_ip(_request("10.9.0.1", "not-an-ip")) == "10.9.0.1"
    assert client_ip(_request("10.9.0.1", "")) == "10.9.0.1"


def test_finding8j_journal_records_the_client_behind_the_proxy(cast: Cast, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    before = _last_id()
    client_for(cast.cpip).get(
        reverse("people:detail", args=[cast.person.public_id]),
        REMOTE_ADDR="10.9.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    consulted = AuditEvent.objects.get(id__gt=before, action=AuditAction.CONSULTATION)
    assert consulted.ip_address == "203.0.113.5"


def _login(remote: str, forwarded: str, password: str) -> Any:
    return Client().post(
        LOGIN,
        {"username": "cpip", "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_finding8j_lockout_is_keyed_on_account_and_client_ip(cast: Cast, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    wrong = "mauvais-mot-de-passe-long"
    # Behind the proxy, an attacker at 203.0.113.66 locks cpip out from their own address only.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("10.9.0.1", "203.0.113.66", wrong)
    assert _login("10.9.0.1", "203.0.113.66", settings.DEMO_PASSWORD).status_code == 429
    # The real user, behind the same proxy from another address, still signs in.
    assert _login("10.9.0.1", "203.0.113.5", settings.DEMO_PASSWORD).status_code == 302
    # A client outside the proxy cannot pick its key with a forged header: its failures count
    # on its own address, whatever X-Forwarded-For says…
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("198.51.100.9", "203.0.113.5", wrong)
    assert _login("198.51.100.9", "203.0.113.77", settings.DEMO_PASSWORD).status_code == 429
    # … so the user it tried to frame is not locked out.
    assert _login("10.9.0.1", "203.0.113.5", settings.DEMO_PASSWORD).status_code == 302


# --- Finding 9. The court does not read the SPIP's internal validation comments ---------------


def test_finding9_court_does_not_see_internal_validation_comments(cast: Cast) -> None:
    report = draft_report(cast.person)
    internal = {
        rules.SOUMETTRE: "Première version, à relire vite",
        rules.RENVOYER: "Reprendre le paragraphe sur la santé, trop détaillé",
        rules.VALIDER: "Validé malgré les réserves sur l'hébergement",
        rules.TRANSMETTRE: "Envoi groupé du mardi",
    }
    steps = [
        (cast.cpip, rules.SOUMETTRE),
        (cast.dpip, rules.RENVOYER),
        (cast.cpip, rules.SOUMETTRE),
        (cast.dpip, rules.VALIDER),
        (cast.cpip, rules.TRANSMETTRE),
    ]
    for actor, action in steps:
        report_services.apply_action(
            acting_user=actor, report=report, action=action, comment=internal[action]
        )
    url = reverse("reports:detail", args=[report.public_id])
    court = client_for(cast.jap).get(url)
    assert court.status_code == 200
    page = text(court)
    for comment in internal.values():
        assert comment not in page
    assert [e.action for e in court.context["events"]] == [rules.TRANSMETTRE]
    assert rules.ACTION_LABELS[rules.TRANSMETTRE] in page
    # The court's own steps are shown with their comment (the decision it recorded).
    decision = "Audience fixée le 12 avril"
    report_services.apply_action(
        acting_user=cast.jap, report=report, action=rules.ENREGISTRER_DECISION, comment=decision
    )
    assert decision in text(client_for(cast.jap).get(url))
    # The SPIP still reads its whole history.
    spip_page = text(client_for(cast.dpip).get(url))
    for comment in internal.values():
        assert comment in spip_page
