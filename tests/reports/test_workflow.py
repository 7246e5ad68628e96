"""The workflow through the services: every status × action × role of the cast, allowed or
refused; history, audit, freezing, and a transmitted report that nobody can modify."""

from __future__ import annotations

import hashlib

import pytest

from parcours.audit.models import AuditAction, AuditEvent
from parcours.core.errors import ConflictError, Refused
from parcours.reports import services, storage
from parcours.reports.models import Report, ReportEvent
from parcours.rules import reports as r
from tests.conftest import ROLE_NAMES, Cast

from .factories import draft_report, report_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

# Who may do what on the cast's person (referent cpip, Nord SPIP, measure from the TJ de Lille).
ALLOWED: dict[tuple[str, str], set[str]] = {
    (r.BROUILLON, r.SOUMETTRE): {"cpip"},
    (r.SOUMIS, r.VALIDER): {"dpip"},
    (r.SOUMIS, r.RENVOYER): {"dpip"},
    (r.VALIDE, r.TRANSMETTRE): {"cpip", "dpip"},
    (r.TRANSMIS, r.ACCUSER_RECEPTION): {"jap"},
    (r.TRANSMIS, r.ENREGISTRER_DECISION): {"jap"},
    (r.RECU, r.ENREGISTRER_DECISION): {"jap"},
}
WORKFLOW_ACTIONS = [a for a in r.ACTIONS if a != r.MODIFIER]


@pytest.mark.parametrize("status", r.STATUSES)
@pytest.mark.parametrize("action", WORKFLOW_ACTIONS)
def test_every_status_action_role(cast: Cast, status: str, action: str) -> None:
    allowed = ALLOWED.get((status, action), set())
    problems = []
    for role in ROLE_NAMES:
        report = report_in(cast.person, status)
        try:
            done = services.apply_action(
                acting_user=cast.user(role), report=report, action=action, comment="Motif."
            )
        except services.ReportRefused:
            if role in allowed:
                problems.append(f"{role} refused")
            assert Report.objects.get(pk=report.pk).status == status
            continue
        if role not in allowed:
            problems.append(f"{role} allowed")
        assert done.status == r.next_status(status, action)
        assert done.version == report.version + 1
        event = ReportEvent.objects.filter(report=report).latest("pk")
        assert (event.action, event.from_status, event.to_status) == (action, status, done.status)
        assert event.actor == cast.user(role)
        audit = AuditEvent.objects.filter(object_id=str(report.public_id)).latest("pk")
        assert audit.action in (AuditAction.MODIFICATION, AuditAction.EXPORT)
        assert audit.details["transition"] == action
    assert not problems, problems


@pytest.mark.parametrize("status", r.STATUSES)
def test_who_may_modify_the_text(cast: Cast, status: str) -> None:
    allowed = {"cpip", "dpip"} if status == r.BROUILLON else set()
    for role in ROLE_NAMES:
        report = report_in(cast.person, status)
        try:
            services.save_content(
                acting_user=cast.user(role),
                report=report,
                content={"evolution": f"Texte de {role}"},
                expected_version=report.version,
            )
        except services.ReportRefused as refused:
            assert role not in allowed, (role, str(refused))
            if status in r.FROZEN_STATUSES:
                assert "transmis" in str(refused)
        else:
            assert role in allowed, role
            assert Report.objects.get(pk=report.pk).content["evolution"] == f"Texte de {role}"


def test_the_author_cannot_validate_their_own_report(cast: Cast) -> None:
    report = report_in(cast.person, r.SOUMIS, author=cast.dpip)
    with pytest.raises(services.ReportRefused, match="rédigé"):
        services.apply_action(acting_user=cast.dpip, report=report, action=r.VALIDER)


def test_sending_back_needs_a_comment(cast: Cast) -> None:
    report = report_in(cast.person, r.SOUMIS)
    with pytest.raises(services.ReportRefused, match="commentaire"):
        services.apply_action(acting_user=cast.dpip, report=report, action=r.RENVOYER)
    done = services.apply_action(
        acting_user=cast.dpip, report=report, action=r.RENVOYER, comment="Compléter le bilan."
    )
    assert done.status == r.BROUILLON
    assert done.events.latest("pk").comment == "Compléter le bilan."


def test_full_walk_freezes_the_files_with_their_hash(cast: Cast) -> None:
    report = draft_report(cast.person)
    report = services.save_content(
        acting_user=cast.cpip,
        report=report,
        content={"conclusion": "Maintien de la mesure proposé."},
        expected_version=report.version,
    )
    for user, action in (
        (cast.cpip, r.SOUMETTRE),
        (cast.dpip, r.VALIDER),
        (cast.cpip, r.TRANSMETTRE),
    ):
        report = services.apply_action(acting_user=user, report=report, action=action)
    assert report.status == r.TRANSMIS
    pdf = storage.resolve(report.pdf_path).read_bytes()
    docx = storage.resolve(report.docx_path).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert docx.startswith(b"PK")
    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    assert hashlib.sha256(docx).hexdigest() == report.docx_sha256
    export = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert export.details["pdf_sha256"] == report.pdf_sha256
    assert export.details["destinataire"] == "TJ de Lille"
    # Frozen: nobody changes the text any more, not even with the right version.
    for user in (cast.cpip, cast.dpip, cast.jap):
        with pytest.raises(services.ReportRefused, match="transmis"):
            services.save_content(
                acting_user=user,
                report=report,
                content={"conclusion": "Autre chose."},
                expected_version=report.version,
            )
    report.refresh_from_db()
    assert report.content["conclusion"] == "Maintien de la mesure proposé."
    assert storage.resolve(report.pdf_path).read_bytes() == pdf
    report = services.apply_action(acting_user=cast.jap, report=report, action=r.ACCUSER_RECEPTION)
    report = services.apply_action(
        acting_user=cast.jap, report=report, action=r.ENREGISTRER_DECISION, comment="Rappel."
    )
    assert (report.status, report.decision) == (r.DECISION, "Rappel.")
    assert [e.action for e in report.events.all()] == [
        "creation",
        r.SOUMETTRE,
        r.VALIDER,
        r.TRANSMETTRE,
        r.ACCUSER_RECEPTION,
        r.ENREGISTRER_DECISION,
    ]


def test_transmission_needs_a_measure_with_a_tribunal(cast: Cast) -> None:
    report = report_in(cast.person, r.VALIDE)
    Report.objects.filter(pk=report.pk).update(measure=None)
    report.measure = None
    with pytest.raises(services.ReportRefused, match="juridiction"):
        services.apply_action(acting_user=cast.cpip, report=report, action=r.TRANSMETTRE)


def test_stale_version_is_a_conflict(cast: Cast) -> None:
    report = draft_report(cast.person)
    services.save_content(
        acting_user=cast.cpip, report=report, content={"evolution": "A"}, expected_version=1
    )
    with pytest.raises(ConflictError):
        services.save_content(
            acting_user=cast.dpip, report=report, content={"evolution": "B"}, expected_version=1
        )
    assert Report.objects.get(pk=report.pk).content["evolution"] == "A"


def test_the_whole_report_sent_again_on_a_stale_version_is_no_conflict(cast: Cast) -> None:
    """A save of the whole report sent twice (the one a closing tab sent, then the copy the
    browser kept) finds its own texts on the server: nothing is written, nothing journaled, the
    current version is returned. A part of the report, even unchanged, still conflicts: its
    sender has not seen the other sections since. Different texts still conflict."""
    report = draft_report(cast.person)
    whole = {key: report.content.get(key, "") for key in report.section_keys} | {"evolution": "A"}
    saved = services.save_content(
        acting_user=cast.cpip, report=report, content=whole, expected_version=1
    )
    rows = AuditEvent.objects.count()
    again = services.save_content(
        acting_user=cast.cpip, report=report, content=whole, expected_version=1
    )
    assert again.version == saved.version == 2
    assert AuditEvent.objects.count() == rows
    with pytest.raises(ConflictError):
        services.save_content(
            acting_user=cast.cpip, report=report, content={"evolution": "A"}, expected_version=1
        )
    with pytest.raises(ConflictError):
        services.save_content(
            acting_user=cast.cpip,
            report=report,
            content=whole | {"conclusion": "B"},
            expected_version=1,
        )
    assert Report.objects.get(pk=report.pk).content == saved.content


def test_bad_content_is_refused_by_the_service(cast: Cast) -> None:
    report = draft_report(cast.person)
    with pytest.raises(Refused, match="Rubrique inconnue"):
        services.save_content(
            acting_user=cast.cpip, report=report, content={"pirate": "x"}, expected_version=1
        )
