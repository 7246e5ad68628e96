"""The retention purge (lifecycle.purge, `manage.py purge_expired`) on a frozen clock."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from parcours.agenda.models import Appointment
from parcours.audit.models import AuditEvent
from parcours.breaches.models import Breach
from parcours.lifecycle.models import PurgedFile
from parcours.lifecycle.purge import HANDLED_RELATIONS, purge_expired
from parcours.measures.models import Measure
from parcours.notes.models import Note, NoteVersion
from parcours.notes.services import create_note
from parcours.notifications.models import Message
from parcours.obligations.models import Obligation, Proof
from parcours.people.models import Address, Person
from parcours.reports import storage as report_storage
from parcours.reports.models import Report
from parcours.reports.services import create_report
from parcours.rules.vocabulary import AuditAction, BreachKind, MeasureStatus, NextStep

from ..agenda.factories import make_appointment
from ..factories import MeasureFactory, PersonFactory
from ..notifications.factories import make_message
from ..obligations.factories import make_obligation, make_proof

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

TODAY = date(2027, 3, 16)  # conftest.FIXED_NOW
LAST_KEPT_END = date(2022, 3, 16)  # ended then: kept through today (end + 5 years)


def closed_file(cast: Any, ended_on: date, **person: Any) -> Person:
    """A person of the Nord SPIP with one measure ended on `ended_on`, and something of every
    kind the purge treats: note, victim's address in an obligation, proof file, report file,
    SMS, appointment, manquement, address."""
    values: dict[str, Any] = {
        "spip": cast.spip,
        "antenna": cast.antenna,
        "referent": cast.cpip,
        "last_name": "FOURNIER",
        "first_names": "Lucie",
        "phone": "0612345678",
        "appi_number": "202012345678",
        **person,
    }
    someone = PersonFactory(**values)
    measure = MeasureFactory(
        person=someone,
        status=MeasureStatus.TERMINEE,
        judgment_date=ended_on - timedelta(days=800),
        start_date=ended_on - timedelta(days=730),
        end_date=ended_on,
        ended_on=ended_on,
        violences_conjugales=True,
    )
    Address.objects.create(
        person=someone, line="3 rue des Lilas", postal_code="59000", city="Lille", since=ended_on
    )
    obligation = make_obligation(someone, "cp_132_45_3")
    make_obligation(
        someone, "cp_132_45_18", parameters={"domicile": "12 rue de la Victime", "distance": 500}
    )
    make_proof(obligation)
    create_note(
        acting_user=cast.cpip,
        person=someone,
        kind="entretien",
        event_date=ended_on - timedelta(days=30),
        body="Entretien : elle a retrouvé un emploi.",
    )
    report = create_report(acting_user=cast.cpip, person=someone, kind="situation", today=TODAY)
    Report.objects.filter(pk=report.pk).update(pdf_path=report_storage.write(b"%PDF-1.4", "pdf"))
    make_message(someone)
    make_appointment(cast, person=someone, comment="Venue avec sa sœur", status="honore")
    Breach.objects.create(
        person=someone,
        measure=measure,
        kind=BreachKind.choices[0][0],
        occurred_on=ended_on - timedelta(days=60),
        facts="Absent, vu au bar du coin",
        proposed_step=NextStep.choices[0][0],
        chosen_step=NextStep.choices[0][0],
    )
    return someone


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_every_relation_to_person_is_handled_by_the_purge() -> None:
    # A new model pointing at Person must be added to the purge (and to the export).
    relations = {
        rel.get_accessor_name()
        for rel in Person._meta.related_objects
        if rel.related_model._meta.app_label != "lifecycle" or rel.name == "purged_file"
    }
    assert relations <= set(HANDLED_RELATIONS), relations - set(HANDLED_RELATIONS)


def test_r57_4_4_file_closed_five_years_and_one_day_ago_is_anonymised(
    cast: Any, private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    someone = closed_file(cast, LAST_KEPT_END - timedelta(days=1))
    assert len(stored_files(private_media)) == 2  # the proof and the frozen report
    measures_before = Measure.objects.filter(person=someone).count()
    appointments_before = list(
        Appointment.objects.filter(person=someone).values_list("status", "agent_id", "starts_at")
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = purge_expired(TODAY)
    assert len(stored_files(private_media)) == 2  # files go only once the purge is committed
    for callback in callbacks:
        callback()

    assert [f.public_id for f in report.files] == [str(someone.public_id)]
    someone.refresh_from_db()
    assert someone.last_name == "ANONYME" and someone.first_names == ""
    assert someone.phone == "" and someone.appi_number == "" and someone.referent_id is None
    assert someone.birth_date == date(1990, 1, 1)
    assert not Note.objects.filter(person=someone).exists()
    assert not NoteVersion.objects.filter(note__person=someone).exists()
    assert not Proof.objects.filter(obligation__measure__person=someone).exists()
    assert not Report.objects.filter(person=someone).exists()
    assert not Message.objects.filter(person=someone).exists()
    assert not Address.objects.filter(person=someone).exists()
    assert stored_files(private_media) == []
    # Statistics: the counted rows stay, without free text or victims' details.
    assert Measure.objects.filter(person=someone).count() == measures_before
    assert not Measure.objects.filter(person=someone, violences_conjugales=True).exists()
    assert (
        list(
            Appointment.objects.filter(person=someone).values_list(
                "status", "agent_id", "starts_at"
            )
        )
        == appointments_before
    )
    assert set(Appointment.objects.filter(person=someone).values_list("comment", flat=True)) == {""}
    parameters = Obligation.objects.filter(measure__person=someone).values_list(
        "parameters", flat=True
    )
    assert list(parameters) == [{}, {}]
    assert Breach.objects.get(person=someone).facts == ""
    counts = report.files[0].counts
    assert counts["notes"] == 1 and counts["justificatifs"] == 1 and counts["rapports"] == 1
    assert counts["mesures"] == 1 and counts["rendez_vous"] == 1


def test_purge_event_names_no_one(cast: Any) -> None:
    someone = closed_file(cast, LAST_KEPT_END - timedelta(days=1))
    purge_expired(TODAY)
    event = AuditEvent.objects.get(action=AuditAction.PURGE)
    assert event.person_public_id == someone.public_id
    assert event.spip_id == cast.spip.pk
    assert event.actor is None and event.actor_username == "purge_expired"
    assert event.details["elements"]["notes"] == 1
    assert event.details["conserve_jusqu_au"] == "2027-03-15"
    flat = f"{event.object_label} {event.details}"
    assert "FOURNIER" not in flat and "Lucie" not in flat


def test_r57_4_4_file_closed_five_years_minus_one_day_ago_is_kept(cast: Any) -> None:
    someone = closed_file(cast, LAST_KEPT_END + timedelta(days=1))
    also_kept = closed_file(cast, LAST_KEPT_END, appi_number="202012345679")
    report = purge_expired(TODAY)
    assert report.files == []
    for person in (someone, also_kept):
        person.refresh_from_db()
        assert person.last_name == "FOURNIER"
    assert Note.objects.filter(person=someone).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.PURGE).exists()


def test_an_open_measure_keeps_everything(cast: Any) -> None:
    someone = closed_file(cast, date(2015, 1, 1))
    MeasureFactory(person=someone, status=MeasureStatus.EN_COURS)
    assert purge_expired(TODAY).files == []
    someone.refresh_from_db()
    assert someone.last_name == "FOURNIER"
    assert Proof.objects.filter(obligation__measure__person=someone).count() == 1


def test_dry_run_changes_nothing_and_reports_the_same_counts(
    cast: Any, private_media: Path
) -> None:
    someone = closed_file(cast, date(2020, 1, 1))
    events = AuditEvent.objects.count()
    dry = purge_expired(TODAY, dry_run=True)
    assert dry.files and dry.files[0].counts["notes"] == 1
    someone.refresh_from_db()
    assert someone.last_name == "FOURNIER"
    assert Note.objects.filter(person=someone).exists()
    assert len(stored_files(private_media)) == 2
    assert AuditEvent.objects.count() == events
    assert not PurgedFile.objects.exists()
    real = purge_expired(TODAY)
    assert real.files[0].counts == dry.files[0].counts


def test_a_purged_file_is_not_purged_twice(cast: Any) -> None:
    closed_file(cast, date(2020, 1, 1))
    assert len(purge_expired(TODAY).files) == 1
    assert purge_expired(TODAY + timedelta(days=1)).files == []
    assert AuditEvent.objects.filter(action=AuditAction.PURGE).count() == 1


def test_a_file_without_measure_is_reported_for_review_not_purged(cast: Any) -> None:
    bare = PersonFactory(spip=cast.spip, last_name="SANSMESURE")
    report = purge_expired(TODAY)
    bare.refresh_from_db()
    assert bare.last_name == "SANSMESURE"
    assert sum(report.to_review.values()) >= 1


def test_the_command_prints_the_report_by_kind(cast: Any) -> None:
    closed_file(cast, date(2020, 1, 1))
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", "--today", "2027-03-16", stdout=out)
    printed = out.getvalue()
    assert "Simulation" in printed and "1 dossier(s) seraient traités" in printed
    assert "Notes de suivi : 1 supprimés" in printed
    assert "Mesures : 1 anonymisés" in printed
    assert Person.objects.filter(last_name="FOURNIER").exists()
    out = io.StringIO()
    call_command("purge_expired", stdout=out)  # today from the frozen clock
    assert "1 dossier(s) traités" in out.getvalue()
    assert not Person.objects.filter(last_name="FOURNIER").exists()


def test_the_command_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("purge_expired", "--today", "16/03/2027")


def test_the_nightly_schedule_runs_the_purge(settings: Any) -> None:
    assert {"command": "purge_expired", "at": "03:00"} in settings.PARCOURS_SCHEDULE


def test_the_clock_decides_the_day(cast: Any) -> None:
    someone = closed_file(cast, date(2022, 4, 1))
    with time_machine.travel("2027-04-01T12:00:00+02:00", tick=False):
        call_command("purge_expired", stdout=io.StringIO())
    someone.refresh_from_db()
    assert someone.last_name == "FOURNIER"  # kept through 01/04/2027
    with time_machine.travel("2027-04-02T12:00:00+02:00", tick=False):
        call_command("purge_expired", stdout=io.StringIO())
    someone.refresh_from_db()
    assert someone.last_name == "ANONYME"
