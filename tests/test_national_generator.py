"""The national-scale generator (manage.py bench_data) at a tiny scale: shape of the data."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from parcours.accounts.models import Organisation, OrganisationKind, Role, User
from parcours.agenda.models import Appointment
from parcours.audit.models import AuditEvent
from parcours.audit.verify import verify
from parcours.demo.national.cases import CASELOAD, caseloads
from parcours.measures.models import Measure
from parcours.notes.models import Note, NoteVersion
from parcours.obligations.models import Obligation
from parcours.people.models import Person
from parcours.rules.text import search_document

SCALE = "0.0005"  # 150 people, 2 CPIP


@pytest.fixture
def demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = True


@pytest.mark.django_db
def test_refused_outside_demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="PARCOURS_DEMO"):
        call_command("bench_data", "--scale", SCALE, verbosity=0)


@pytest.mark.django_db
def test_generator_shape(demo_mode: None) -> None:
    call_command("bench_data", "--scale", SCALE, verbosity=0)

    spips = Organisation.objects.filter(kind=OrganisationKind.SPIP)
    assert spips.count() == 103
    zones = set(spips.values_list("timezone", flat=True))
    assert {
        "Europe/Paris",
        "Indian/Reunion",
        "America/Guadeloupe",
        "America/Martinique",
        "America/Cayenne",
        "Indian/Mayotte",
        "Pacific/Noumea",
        "Pacific/Tahiti",
    } <= zones
    assert not Organisation.objects.filter(
        kind=OrganisationKind.ANTENNE, spip__isnull=True
    ).exists()

    # The milieu ouvert (the detainees: tests/detention/test_demo_national.py).
    ouvert = Person.objects.filter(ecrous__isnull=True)
    people = ouvert.count()
    assert people == 150
    cpips = User.objects.filter(role=Role.CPIP).exclude(username__startswith="cpip.mf.")
    assert cpips.count() == 2
    loads = ouvert.values("referent").annotate(n=Count("id"))
    assert all(CASELOAD[0] <= row["n"] <= CASELOAD[1] for row in loads)
    assert not Person.objects.filter(referent__isnull=True).exists()
    # A person's antenna is their referent's.
    for p in Person.objects.select_related("referent")[:20]:
        assert p.referent is not None and p.antenna_id == p.referent.organisation_id

    assert not Person.objects.filter(measures__isnull=True).exists()
    assert 1.1 <= Measure.objects.filter(person__in=ouvert).count() / people <= 1.35
    assert Obligation.objects.exists()
    assert 8 <= Appointment.objects.count() / people <= 12
    assert Appointment.objects.filter(status="planifie").exists()
    assert (
        Appointment.objects.filter(status="honore").count()
        > Appointment.objects.filter(status="absent").count()
    )
    assert 12 <= Note.objects.count() / people <= 18
    assert NoteVersion.objects.count() == Note.objects.count()
    for note in Note.objects.all()[:20]:
        assert note.search_text == search_document(note.body_text)
        assert note.spip_id == note.person.spip_id
    assert 80 <= AuditEvent.objects.count() / people <= 120
    # The generated journal is chained like record() chains it (ADR 0003).
    report = verify()
    assert report.broken is None and report.checked == AuditEvent.objects.count()

    # The generated accounts sign in with the demo password (hashed once, shared).
    cpip = cpips.order_by("username").first()
    assert cpip is not None and cpip.check_password(settings.DEMO_PASSWORD)
    assert cpip.charter_accepted_at is not None

    # A second run refuses: the database already has people.
    with pytest.raises(CommandError, match="déjà des personnes"):
        call_command("bench_data", "--scale", SCALE, verbosity=0)


def test_caseloads_sum_and_bounds() -> None:
    loads = caseloads(3000, 40, random.Random(1))
    assert sum(loads) == 3000
    assert loads[0] == CASELOAD[1]
    assert all(CASELOAD[0] <= n <= CASELOAD[1] for n in loads)
