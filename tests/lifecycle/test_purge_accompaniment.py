"""The retention purge removes the accompaniment and the person's space (issues 17, 18), with
the check-in proof files; the nightly space-log purge keeps its own, shorter, periods."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from parcours.agenda.models import AppointmentReply
from parcours.assessments.models import Assessment, DigitalSelfAssessment
from parcours.checkins.models import Checkin, CheckinPlan
from parcours.lifecycle.purge import HANDLED_HIDDEN_RELATIONS, purge_expired
from parcours.lifecycle.space_logs import purge_space_logs
from parcours.notifications.models import InboundMessage
from parcours.obligations import storage
from parcours.partners.models import Referral, ReferralSession
from parcours.people.models import Person
from parcours.plans.models import Goal, Plan, Step
from parcours.rules.vocabulary import AttemptKind
from parcours.space.models import (
    PersonSession,
    SignInAttempt,
    SignInChallenge,
    SpaceAccount,
    SpaceNotice,
)

from .accompaniment import fill
from .test_purge import LAST_KEPT_END, TODAY, closed_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

PERSON_ROWS = {
    Assessment: "person",
    DigitalSelfAssessment: "person",
    Plan: "person",
    Goal: "plan__person",
    Step: "goal__plan__person",
    Referral: "person",
    ReferralSession: "referral__person",
    InboundMessage: "person",
    CheckinPlan: "person",
    Checkin: "person",
    AppointmentReply: "appointment__person",
    SpaceAccount: "person",
    SpaceNotice: "person",
    PersonSession: "person",
    SignInChallenge: "person",
    SignInAttempt: "person",
}


def rows_of(person: Person) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(**{path: person}).count()
        for model, path in PERSON_ROWS.items()
    }


def test_every_hidden_relation_to_person_is_handled_by_the_purge() -> None:
    # Relations declared with related_name="+" have no accessor: checked by model label.
    hidden = {
        rel.related_model._meta.label
        for rel in Person._meta.get_fields(include_hidden=True)
        if rel.is_relation and rel.auto_created and rel.hidden
    }
    assert hidden <= set(HANDLED_HIDDEN_RELATIONS), hidden - set(HANDLED_HIDDEN_RELATIONS)


def test_the_purge_removes_the_new_data_and_the_checkin_proof(
    cast: Any, private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    someone = closed_file(cast, LAST_KEPT_END - timedelta(days=1))
    markers = fill(cast, someone, "MARQUEUR")
    fill(cast, cast.other_person, "AUTRE")
    assert all(rows_of(someone).values()), rows_of(someone)
    other_before = rows_of(cast.other_person)
    assert (private_media / markers.checkin_proof).is_file()

    with django_capture_on_commit_callbacks(execute=True):
        report = purge_expired(TODAY)

    assert [f.public_id for f in report.files] == [str(someone.public_id)]
    assert set(rows_of(someone).values()) == {0}, rows_of(someone)
    assert rows_of(cast.other_person) == other_before
    assert not (private_media / markers.checkin_proof).exists()
    counts = report.files[0].counts
    assert counts["evaluations"] == 2 and counts["plans"] == 1 and counts["orientations"] == 1
    assert counts["espace"] == 5 and counts["controles"] == 1  # the answers, not the plan
    # The report names every kind (a kind without its retention rule would fail here).
    lines = "\n".join(report.lines())
    assert "Évaluations et auto-évaluations : 2 supprimés" in lines
    assert "Espace personnel (compte, sessions, messages) : 5 supprimés" in lines


def test_the_purge_command_prints_the_new_kinds(cast: Any) -> None:
    someone = closed_file(cast, LAST_KEPT_END - timedelta(days=1))
    fill(cast, someone, "MARQUEUR")
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert "Plans d'accompagnement (objectifs, étapes) : 1 supprimés" in out.getvalue()
    assert Plan.objects.filter(person=someone).count() == 1  # a dry run changes nothing


def old_and_recent_space_rows(person: Person) -> None:
    """For each kind, one row just past its retention ('old') and one just within ('kept')."""
    now = timezone.now()
    for name, created, expires, used in (
        ("old-expired", now - timedelta(days=2), now - timedelta(days=1, minutes=1), None),
        ("old-used", now - timedelta(days=2), now - timedelta(hours=47), now - timedelta(days=2)),
        ("kept-expired", now - timedelta(hours=5), now - timedelta(hours=4), None),
        ("kept-live", now, now + timedelta(minutes=10), None),
    ):
        SignInChallenge.objects.create(
            token_hash=name,
            identifier_hash="x",
            person=person,
            code_hash=f"code-{name}",
            created_at=created,
            expires_at=expires,
            used_at=used,
        )
    for days in (91, 89):
        SignInAttempt.objects.create(
            kind=AttemptKind.FAUX, identifier_hash=f"id-{days}", at=now - timedelta(days=days)
        )
    for name, created, ended in (
        ("ended-old", now - timedelta(days=92), now - timedelta(days=91)),
        ("ended-recent", now - timedelta(days=90), now - timedelta(days=89)),
        ("never-ended-old", now - timedelta(days=91), None),
        ("open", now - timedelta(minutes=5), None),
    ):
        PersonSession.objects.create(
            token_hash=name, person=person, created_at=created, last_seen_at=created, ended_at=ended
        )


def test_space_logs_keep_codes_one_day_attempts_and_sessions_ninety(cast: Any) -> None:
    old_and_recent_space_rows(cast.person)

    counts = purge_space_logs(timezone.now())

    assert counts == {"codes": 2, "tentatives": 1, "sessions": 2}
    assert set(SignInChallenge.objects.values_list("token_hash", flat=True)) == {
        "kept-expired",
        "kept-live",
    }
    assert list(SignInAttempt.objects.values_list("identifier_hash", flat=True)) == ["id-89"]
    assert set(PersonSession.objects.values_list("token_hash", flat=True)) == {
        "ended-recent",
        "open",
    }


def test_space_logs_command_is_scheduled_and_reports(cast: Any, settings: Any) -> None:
    assert {"command": "purge_space_logs", "at": "03:07"} in settings.PARCOURS_SCHEDULE
    old_and_recent_space_rows(cast.person)
    out = io.StringIO()
    call_command("purge_space_logs", stdout=out)
    assert "2 code(s), 1 tentative(s) et 2 session(s) supprimés" in out.getvalue()
    assert SignInAttempt.objects.count() == 1


def test_checkin_proofs_live_in_private_storage(private_media: Path) -> None:
    # The purge removes check-in proofs through the same storage as justificatifs.
    path = storage.write(b"x", "png", "controles")
    assert (private_media / path).is_file()
    storage.remove(path)
    assert not (private_media / path).exists()
