"""The person file's "Rendez-vous" panel (agenda.panels.appointments): the five next planned
appointments, the five last past ones (rescheduled ones left out, however old), and attendance
over the last twelve months only — read in one query."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from parcours.rules.agenda import AppointmentStatus as S

from ..factories import PersonFactory
from .factories import make_appointment

pytestmark = pytest.mark.django_db


def _panel(client, person) -> str:
    body = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    return body.split('id="rendez-vous"', 1)[1].split("</section>", 1)[0]


def _links(html: str) -> list[str]:
    return re.findall(r'href="/agenda/rendez-vous/([0-9a-f-]+)/"', html)


def test_upcoming_recent_and_attendance_of_the_year(cast, clients):
    person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    now = timezone.now()
    planned = [
        make_appointment(cast, person=person, starts_at=now + timedelta(days=d))
        for d in (9, 2, 5, 30, 14, 60)  # six planned: the five nearest are listed, soonest first
    ]
    make_appointment(cast, person=person, starts_at=now + timedelta(days=1), status=S.ANNULE)
    past = {
        status: make_appointment(
            cast, person=person, starts_at=now - timedelta(days=d), status=status
        )
        for d, status in ((10, S.HONORE), (40, S.ABSENT), (70, S.EXCUSE), (100, S.PLANIFIE))
    }
    make_appointment(cast, person=person, starts_at=now - timedelta(days=5), status=S.REPORTE)
    old = make_appointment(
        cast, person=person, starts_at=now - timedelta(days=400), status=S.HONORE
    )
    older = make_appointment(
        cast, person=person, starts_at=now - timedelta(days=800), status=S.ABSENT
    )

    html = _panel(clients["cpip"], person)
    upcoming, recent = html.split("Derniers rendez-vous", 1)

    soonest = sorted(planned, key=lambda a: a.starts_at)[:5]
    assert _links(upcoming) == [str(a.public_id) for a in soonest]
    expected_recent = [past[S.HONORE], past[S.ABSENT], past[S.EXCUSE], past[S.PLANIFIE], old]
    assert _links(recent) == [str(a.public_id) for a in expected_recent]
    assert str(older.public_id) not in html  # a sixth past one
    # In the SPIP's zone, as the template's date filters wrote them.
    zone = ZoneInfo(person.spip.timezone)
    first = soonest[0].starts_at.astimezone(zone)
    assert f">{date_format(first, 'l j F Y à H:i')}</a>" in upcoming
    assert f">{date_format(old.starts_at.astimezone(zone), 'd/m/Y H:i')}</a>" in recent
    assert "résultat à saisir" in recent  # the past appointment still planned
    # Twelve months: the honoured one of 400 days ago does not count.
    assert "1 honoré, 1 absence non excusée, 1 excusée" in " ".join(recent.split())


def test_last_appointments_older_than_a_year_are_still_listed(cast, clients):
    person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    long_ago = make_appointment(
        cast,
        person=person,
        starts_at=timezone.now() - timedelta(days=500),
        status=S.HONORE,
    )

    html = _panel(clients["cpip"], person)

    assert "Aucun rendez-vous à venir." in html
    assert _links(html.split("Derniers rendez-vous", 1)[1]) == [str(long_ago.public_id)]
    assert "0 honoré, 0 absence non excusée, 0 excusée" in " ".join(html.split())


def _appointment_queries(client, person) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("people:detail", args=[person.public_id]))
    return sum('FROM "agenda_appointment"' in q["sql"] for q in ctx.captured_queries)


def test_one_query_whatever_the_year_holds(cast, clients):
    """The last appointments before the year come in the same query as the year's (a
    subquery), whether the year holds none, a few or enough past appointments to list."""
    person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    now = timezone.now()
    make_appointment(cast, person=person, starts_at=now - timedelta(days=700), status=S.HONORE)
    assert _appointment_queries(clients["cpip"], person) == 1  # none in the year
    for days in (10, 20, 30, 40):
        make_appointment(cast, person=person, starts_at=now - timedelta(days=days), status=S.HONORE)
    assert _appointment_queries(clients["cpip"], person) == 1  # four: the fifth from before
    make_appointment(cast, person=person, starts_at=now - timedelta(days=50), status=S.ABSENT)
    assert _appointment_queries(clients["cpip"], person) == 1


def test_rescheduled_appointments_before_the_year_do_not_take_a_place(cast, clients):
    """The five taken from before the year are the last ones not rescheduled: a rescheduled
    one, more recent, neither shows nor pushes an older one out."""
    person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    now = timezone.now()
    kept = [
        make_appointment(cast, person=person, starts_at=now - timedelta(days=d), status=S.HONORE)
        for d in (400, 420, 440, 460, 480)
    ]
    make_appointment(cast, person=person, starts_at=now - timedelta(days=390), status=S.REPORTE)
    make_appointment(cast, person=person, starts_at=now - timedelta(days=500), status=S.HONORE)

    html = _panel(clients["cpip"], person)

    assert _links(html.split("Derniers rendez-vous", 1)[1]) == [str(a.public_id) for a in kept]
