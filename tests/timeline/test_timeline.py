"""The chronological view of a person's file."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.timeline.selectors import person_timeline
from tests.breaches.factories import first_breach
from tests.factories import MeasureFactory
from tests.obligations.factories import make_obligation, make_proof

pytestmark = pytest.mark.django_db


def test_timeline_mixes_every_kind_newest_first(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    obligation = make_obligation(cast.person, imposed_on=date(2025, 3, 1))
    make_proof(obligation, received_on=date(2026, 11, 2))
    first_breach(cast.person)
    events = person_timeline(cast.person)
    kinds = {e.kind for e in events}
    assert {"mesure", "obligation", "justificatif", "manquement", "suivi"} <= kinds
    days = [e.day for e in events]
    assert days == sorted(days, reverse=True)
    received = next(i for i, e in enumerate(events) if e.kind == "justificatif")
    imposed = next(i for i, e in enumerate(events) if e.kind == "obligation")
    assert events[received].day == date(2026, 11, 2) and received < imposed


def test_timeline_filter_by_kind(cast, clients):
    first_breach(cast.person)
    url = reverse("timeline:person", args=[cast.person.public_id])
    response = clients["cpip"].get(url, {"type": "manquement"})
    assert response.status_code == 200
    assert {e.kind for e in response.context["events"]} == {"manquement"}


def test_timeline_is_a_journaled_consultation(cast, clients):
    clients["dpip"].get(reverse("timeline:person", args=[cast.person.public_id]))
    event = AuditEvent.objects.get(action=AuditAction.CONSULTATION, actor=cast.dpip)
    assert event.person_public_id == cast.person.public_id


def test_timeline_queries_do_not_grow_with_events(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            person_timeline(cast.person)
        return len(ctx.captured_queries)

    before = count()
    for _ in range(5):
        measure = MeasureFactory(person=cast.person)
        make_proof(make_obligation(cast.person, measure=measure))
    assert count() == before


def test_notes_appear_only_through_the_readers_visible_notes(cast):
    from parcours.notes.access import visible_notes
    from tests.notes.factories import make_note

    make_note(cast.person, body="Entretien ordinaire", event_date=date(2026, 2, 1))
    make_note(cast.person, author=cast.dpip, body="Secret", sensitive=True)
    assert not [e for e in person_timeline(cast.person) if e.kind == "note"]
    own = [
        e for e in person_timeline(cast.person, notes=visible_notes(cast.cpip)) if e.kind == "note"
    ]
    assert [e.detail for e in own] == ["Entretien ordinaire"]
    boss = [
        e for e in person_timeline(cast.person, notes=visible_notes(cast.dpip)) if e.kind == "note"
    ]
    assert len(boss) == 2
    assert not [
        e for e in person_timeline(cast.person, notes=visible_notes(cast.jap)) if e.kind == "note"
    ]
