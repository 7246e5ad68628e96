"""Reports pages: access (other SPIP 404, court never sees drafts, 403 for other roles), the
editor and its autosave (409 with the server copy, 400 in French, never 500), lists, downloads."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.reports.access import visible_reports
from parcours.reports.models import Report
from parcours.rules import reports as r
from tests.conftest import Cast
from tests.factories import MeasureFactory, OrganisationFactory, UserFactory
from tests.helpers import file_tab, quiet

from .factories import draft_report, first_report, report_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def autosave(client: Client, report: Report, payload: Any, raw: bytes | None = None) -> Any:
    body = raw if raw is not None else json.dumps(payload)
    return client.post(
        reverse("reports:autosave", args=[report.public_id]),
        data=body,
        content_type="application/json",
    )


# --- Access ---------------------------------------------------------------------------------------


def test_court_sees_only_transmitted_reports_of_its_tribunal(cast: Cast) -> None:
    by_status = {status: report_in(cast.person, status) for status in r.STATUSES}
    seen = set(visible_reports(cast.jap).values_list("status", flat=True))
    assert seen == set(r.FROZEN_STATUSES)
    jap = quiet(cast.jap)
    for status, report in by_status.items():
        for name in ("reports:detail", "reports:pdf", "reports:docx"):
            response = jap.get(reverse(name, args=[report.public_id]))
            expected = 200 if status in r.FROZEN_STATUSES else 404
            assert response.status_code == expected, (status, name)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
    listing = jap.get(reverse("reports:court")).content.decode()
    assert listing.count(reverse("reports:detail", args=[by_status[r.TRANSMIS].public_id])) == 1
    assert str(by_status[r.BROUILLON].public_id) not in listing
    # Another tribunal's judge sees nothing, even transmitted.
    other_tj = OrganisationFactory(kind="tribunal", name="TJ de Douai", spip=cast.spip)
    judge = UserFactory(role="jap", organisation=other_tj)
    assert not visible_reports(judge).exists()
    response = quiet(judge).get(reverse("reports:detail", args=[by_status[r.TRANSMIS].public_id]))
    assert response.status_code == 404


def test_court_page_never_shows_notes_or_drafts_text(cast: Cast) -> None:
    report = report_in(cast.person, r.TRANSMIS)
    draft = draft_report(cast.person)
    Report.objects.filter(pk=draft.pk).update(content={"evolution": "CANARI-BROUILLON"})
    page = quiet(cast.jap).get(file_tab(cast.person, "rapports"))
    body = page.content.decode()
    assert page.status_code == 200
    assert str(report.public_id) in body
    assert str(draft.public_id) not in body and "CANARI-BROUILLON" not in body
    assert "Nouveau rapport" not in body


def test_other_spip_is_not_found_and_other_roles_are_refused(cast: Cast) -> None:
    report = report_in(cast.person, r.TRANSMIS)
    draft = draft_report(cast.person)
    for target in (report, draft):
        for name in ("reports:detail", "reports:pdf", "reports:docx"):
            url = reverse(name, args=[target.public_id])
            assert quiet(cast.cpip_autre).get(url).status_code == 404
            assert quiet(cast.cpip2).get(url).status_code == 404  # colleague: no reports
            for role in ("partenaire", "admin", "secretariat"):
                assert quiet(cast.user(role)).get(url).status_code == 403, (role, name)
    other = report_in(cast.other_person, r.BROUILLON, author=cast.cpip_autre)
    for user in (cast.cpip, cast.dpip, cast.jap):
        assert quiet(user).get(reverse("reports:detail", args=[other.public_id])).status_code == 404
        assert autosave(quiet(user), other, {"version": 1, "content": {}}).status_code in (403, 404)
    create = reverse("reports:create", args=[cast.other_person.public_id])
    assert quiet(cast.cpip).get(create).status_code == 404


def test_download_is_journaled_with_the_hash(cast: Cast) -> None:
    report = report_in(cast.person, r.TRANSMIS)
    response = quiet(cast.jap).get(reverse("reports:pdf", args=[report.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 stand-in"
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.filter(object_id=str(report.public_id)).latest("pk")
    assert event.action == AuditAction.CONSULTATION
    assert event.actor == cast.jap
    assert event.details["sha256"] == report.pdf_sha256


def test_draft_preview_is_marked_projet(cast: Cast) -> None:
    report = draft_report(cast.person)
    response = quiet(cast.cpip).get(reverse("reports:docx", args=[report.public_id]))
    assert response.status_code == 200
    assert "PROJET-" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# --- Creation, editing, autosave ------------------------------------------------------------------


def test_create_from_the_person_file(cast: Cast) -> None:
    client = quiet(cast.cpip)
    measure = cast.person.measures.get()
    url = reverse("reports:create", args=[cast.person.public_id])
    assert "Nouveau rapport" in client.get(file_tab(cast.person, "rapports")).content.decode()
    response = client.post(
        url, {"kind": "incident", "measure": measure.pk, "due_date": "2027-04-15"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:edit", args=[report.public_id])
    assert (report.kind, report.measure, report.author, report.status) == (
        "incident",
        measure,
        cast.cpip,
        r.BROUILLON,
    )
    assert "DURAND" in report.content["identite"]
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATION, object_id=str(report.public_id)
    ).exists()
    bad = client.post(url, {"kind": "pirate", "measure": "999999", "due_date": "32/13/2026"})
    assert bad.status_code == 400
    assert "Sélectionnez un choix valide" in bad.content.decode()
    other_measure = MeasureFactory(person=cast.other_person)
    bad = client.post(url, {"kind": "incident", "measure": other_measure.pk})
    assert bad.status_code == 400


def test_autosave_then_stale_version_is_409_with_the_server_copy(cast: Cast) -> None:
    report = draft_report(cast.person)
    first, second = quiet(cast.cpip), quiet(cast.cpip)
    ok = autosave(first, report, {"version": 1, "content": {"evolution": "Version A"}})
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    stale = autosave(second, report, {"version": 1, "content": {"evolution": "Version B"}})
    assert stale.status_code == 409
    data = stale.json()
    assert data["server"]["version"] == 2
    assert data["server"]["content"]["evolution"] == "Version A"
    assert data["server"]["updated_by"] == "Camille Martin"
    assert "modifié ailleurs" in data["error"]
    # Keeping one's version: save again on top of the server's version.
    kept = autosave(second, report, {"version": 2, "content": {"evolution": "Version B"}})
    assert kept.status_code == 200
    assert Report.objects.get(pk=report.pk).content["evolution"] == "Version B"


@pytest.mark.parametrize(
    ("payload", "raw", "fragment"),
    [
        (None, b"", "illisible"),
        (None, b"{pas du json", "illisible"),
        (None, b"\xff\xfe", "illisible"),
        ([], None, "illisible"),
        ({"content": {}}, None, "illisible"),
        ({"version": "1", "content": {}}, None, "illisible"),
        ({"version": True, "content": {}}, None, "illisible"),
        ({"version": 0, "content": {}}, None, "illisible"),
        ({"version": 2**40, "content": {}}, None, "illisible"),
        ({"version": 1}, None, "illisible"),
        ({"version": 1, "content": "texte"}, None, "illisible"),
        ({"version": 1, "content": {"pirate": "x"}}, None, "Rubrique inconnue"),
        ({"version": 1, "content": {"evolution": 12}}, None, "illisible"),
        ({"version": 1, "content": {"evolution": None}}, None, "illisible"),
        ({"version": 1, "content": {"evolution": "x" * 20_001}}, None, "dépasse"),
        ({"version": 1, "content": {"evolution": "a\x00b"}}, None, "nul"),
        (None, b'{"version": 1, "content": {"evolution": "' + b"y" * 600_000 + b'"}}', "trop long"),
    ],
)
def test_autosave_bad_input_is_400_in_french(
    cast: Cast, payload: Any, raw: bytes | None, fragment: str
) -> None:
    report = draft_report(cast.person)
    response = autosave(quiet(cast.cpip), report, payload, raw)
    assert response.status_code == 400, response.content[:200]
    assert fragment in response.json()["error"]
    assert Report.objects.get(pk=report.pk).version == 1


@pytest.mark.parametrize("status", r.FROZEN_STATUSES)
def test_a_transmitted_report_cannot_be_modified_through_the_pages(cast: Cast, status: str) -> None:
    report = report_in(cast.person, status)
    before = Report.objects.get(pk=report.pk).content
    for user in (cast.cpip, cast.dpip):
        client = quiet(user)
        edit = reverse("reports:edit", args=[report.public_id])
        assert client.get(edit).status_code == 403
        posted = client.post(edit, {"version": report.version, "section-evolution": "Changé"})
        assert posted.status_code == 403
        assert "transmis" in posted.content.decode()
        saved = autosave(client, report, {"version": report.version, "content": {"evolution": "X"}})
        assert saved.status_code == 403
        assert "transmis" in saved.json()["error"]
    assert Report.objects.get(pk=report.pk).content == before


def test_edit_page_and_plain_form_save_with_conflict(cast: Cast) -> None:
    report = draft_report(cast.person)
    client = quiet(cast.cpip)
    url = reverse("reports:edit", args=[report.public_id])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="editeur-rapport"' in body and "parcours/reports.js" in body
    assert 'nonce="' in body.split("parcours/reports.js")[1][:80]
    fields = {f"section-{k}": report.content.get(k, "") for k in report.section_keys}
    done = client.post(url, {**fields, "version": 1, "section-evolution": "Première"})
    assert done.status_code == 302
    stale = client.post(url, {**fields, "version": 1, "section-evolution": "Seconde"})
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "Conflit" in text and "Première" in text and "Seconde" in text
    assert Report.objects.get(pk=report.pk).content["evolution"] == "Première"
    bad = client.post(url, {"version": "abc"})
    assert bad.status_code == 400


# --- Transitions through the page -----------------------------------------------------------------


def test_transition_page_walk(cast: Cast) -> None:
    report = draft_report(cast.person)
    url = reverse("reports:transition", args=[report.public_id])
    cpip, dpip, jap = quiet(cast.cpip), quiet(cast.dpip), quiet(cast.jap)
    assert cpip.post(url, {"action": "soumettre", "version": 1}).status_code == 302
    assert cpip.post(url, {"action": "valider", "version": 2}).status_code == 403
    back = dpip.post(url, {"action": "renvoyer", "version": 2, "comment": ""})
    assert back.status_code == 400 and "Indiquez un commentaire" in back.content.decode()
    assert dpip.post(url, {"action": "valider", "version": 1}).status_code == 409
    assert dpip.post(url, {"action": "valider", "version": 2}).status_code == 302
    detail = cpip.get(reverse("reports:detail", args=[report.public_id])).content.decode()
    assert "Transmettre au JAP" in detail and "data-confirm" in detail
    assert cpip.post(url, {"action": "transmettre", "version": 3}).status_code == 302
    assert jap.post(url, {"action": "accuser_reception", "version": 4}).status_code == 302
    assert (
        jap.post(
            url, {"action": "enregistrer_decision", "version": 5, "comment": "Rappel"}
        ).status_code
        == 302
    )
    assert Report.objects.get(pk=report.pk).status == r.DECISION
    assert cpip.post(url, {"action": "pirate", "version": 6}).status_code == 400


# --- Lists ----------------------------------------------------------------------------------------


def test_my_reports_puts_overdue_first_and_flags_returned(cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    later = report_in(cast.person, r.BROUILLON, due_date=today + timedelta(days=30))
    undated = report_in(cast.person, r.BROUILLON)
    late = report_in(cast.person, r.SOUMIS, due_date=today - timedelta(days=1))
    returned = report_in(cast.person, r.SOUMIS)
    from parcours.reports import services

    services.apply_action(
        acting_user=cast.dpip, report=returned, action=r.RENVOYER, comment="Revoir."
    )
    body = quiet(cast.cpip).get(reverse("reports:mine")).content.decode()
    positions = [body.index(str(x.public_id)) for x in (late, returned, later, undated)]
    assert positions == sorted(positions)
    assert "Renvoyé" in body and "En retard" in body


def test_to_validate_lists_submitted_reports_of_the_spip(cast: Cast) -> None:
    submitted = report_in(cast.person, r.SOUMIS)
    draft = report_in(cast.person, r.BROUILLON)
    other = report_in(cast.other_person, r.SOUMIS, author=cast.cpip_autre)
    body = quiet(cast.dpip).get(reverse("reports:to_validate")).content.decode()
    assert str(submitted.public_id) in body
    assert str(draft.public_id) not in body and str(other.public_id) not in body
    assert quiet(cast.cpip).get(reverse("reports:to_validate")).status_code == 403


def test_demo_seed_is_idempotent(cast: Cast, settings: Any) -> None:
    from parcours.reports.demo import seed

    users = {"cpip.demo": cast.cpip, "dpip.demo": cast.dpip, "jap.demo": cast.jap}
    orgs = {"tj-lille": cast.tribunal}
    first = seed(orgs, users)
    assert first["reports"] == 7
    assert set(Report.objects.values_list("status", flat=True)) == set(r.STATUSES)
    assert visible_reports(cast.jap).count() == 3
    assert seed(orgs, users) == {"reports": 0}
    assert Report.objects.count() == 7


def test_create_page_preselects_type_and_measure(cast: Cast) -> None:
    measure = cast.person.measures.get()
    url = reverse("reports:create", args=[cast.person.public_id])
    client = quiet(cast.cpip)
    body = client.get(f"{url}?type=incident&mesure={measure.public_id}").content.decode()
    assert '<option value="incident" selected>' in body
    assert f'<option value="{measure.pk}" selected>' in body
    for query in ("?type=pirate", "?mesure=abc", f"?mesure={uuid.uuid4()}", "?mesure=%00"):
        assert client.get(url + query).status_code == 200


def test_an_action_sent_twice_says_it_is_done_instead_of_refusing(cast: Cast) -> None:
    """The judge clicks "Accuser réception" in two tabs: the second is told it is already done
    (the report's page with a message), not an "Accès refusé" page."""
    report = first_report(cast.person, r.TRANSMIS)
    url = reverse("reports:transition", args=[report.public_id])
    jap = quiet(cast.jap)
    version = Report.objects.get(pk=report.pk).version
    assert jap.post(url, {"action": "accuser_reception", "version": version}).status_code == 302
    again = jap.post(url, {"action": "accuser_reception", "version": version}, follow=True)
    assert again.status_code == 200
    assert "Déjà fait : la réception du rapport est enregistrée." in again.content.decode()
    # An action that was not done and cannot be is still refused.
    refused = jap.post(url, {"action": "transmettre", "version": version + 1})
    assert refused.status_code == 403


def test_already_done_is_the_status_an_action_leads_to() -> None:
    assert r.already_done(r.RECU, r.ACCUSER_RECEPTION)
    assert r.already_done(r.SOUMIS, r.SOUMETTRE)
    assert not r.already_done(r.TRANSMIS, r.ACCUSER_RECEPTION)
    assert not r.already_done(r.BROUILLON, r.MODIFIER)


def test_a_missing_decision_is_named_as_its_field(cast: Cast) -> None:
    """The judge records a decision with a blank text: the error names « Décision prise », the
    label of the field on the page (it said « Commentaire »)."""
    report = first_report(cast.person, r.TRANSMIS)
    url = reverse("reports:transition", args=[report.public_id])
    version = Report.objects.get(pk=report.pk).version
    response = quiet(cast.jap).post(
        url, {"action": "enregistrer_decision", "version": version, "comment": "   "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Décision prise" in page.split('id="erreurs-formulaire"')[1].split("</div>")[0]
    assert "Commentaire :" not in page
