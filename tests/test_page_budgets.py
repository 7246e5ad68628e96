"""Query budgets of the pages not covered by tests/test_query_budgets.py and the apps' tests:
each page runs the same number of queries with few or many rows, and that number is pinned.

Every request of a logged-in user starts with the same 2 queries: the session, and the user
(+ organisation + SPIP). `count_queries` makes a warm-up GET first, so "last seen" is already
stored when the queries are counted."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.services import extra_queries
from parcours.rules import reports as report_rules

from .conftest import Cast
from .factories import MeasureFactory, PersonFactory, UserFactory
from .helpers import count_queries

pytestmark = pytest.mark.django_db

# Session, user (+ organisation + SPIP).
REQUEST_QUERIES = 2
# The audit insert's chaining (audit.services.record): the last hash, after an advisory lock on
# PostgreSQL; counted with each page's audit insert.
JOURNAL_QUERIES = extra_queries()


def _check(clients: Any, role: str, url: str, grow: Any, expected: int, params: Any = None) -> None:
    """Counts the page's queries, grows its rows with `grow()`, counts again."""
    few, _ = count_queries(clients[role], url, params)
    grow()
    many, sql = count_queries(clients[role], url, params)
    listing = f"{few} -> {many} queries\n" + "\n".join(q[:160] for q in sql)
    assert few == many, listing
    assert many == expected, listing


def _person(cast: Cast, **fields: Any) -> Any:
    person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    MeasureFactory(person=person, **fields)
    return person


# --- Accounts --------------------------------------------------------------------------------

# Request, count of the users, page of users (+ organisation).
USER_LIST_QUERIES = REQUEST_QUERIES + 2


def test_user_list(cast: Cast, clients: Any) -> None:
    def grow() -> None:
        for i in range(15):
            UserFactory(organisation=cast.antenna if i % 2 else cast.other_antenna)

    _check(clients, "admin", reverse("accounts:user_list"), grow, USER_LIST_QUERIES)


# --- Agenda ----------------------------------------------------------------------------------

# Request, the appointment (+ person, place and its SPIP, agenda, agent, type), the person's door
# (person), the audit insert, the reschedule history (the person's rescheduled appointments, the
# chain is followed in memory). A measure, an outcome author or a successor (fields not set here)
# would each add one query, not one per row. The person's answers to the convocation (issue 18:
# personal space, SMS), last five, who marked them seen joined: one more.
APPOINTMENT_QUERIES = REQUEST_QUERIES + 5 + JOURNAL_QUERIES


def test_appointment_detail(cast: Cast, clients: Any) -> None:
    from parcours.agenda.models import Appointment
    from parcours.rules.agenda import AppointmentStatus

    from .agenda.factories import make_appointment, next_open_day

    shown = make_appointment(cast)
    oldest = shown

    def replaced_by(new: Appointment, days: int) -> Appointment:
        """An earlier appointment of the person, rescheduled to `new`."""
        return make_appointment(
            cast,
            starts_at=next_open_day(new.agenda, days_ahead=days),
            status=AppointmentStatus.REPORTE,
            rescheduled_to=new,
            outcome_reason="Empêchement",
        )

    oldest = replaced_by(oldest, 6)

    def grow() -> None:
        nonlocal oldest
        for days in range(12):
            oldest = replaced_by(oldest, 5 - days)
            make_appointment(cast, starts_at=next_open_day(shown.agenda, days_ahead=30 + days))

    url = reverse("agenda:detail", args=[shown.public_id])
    _check(clients, "cpip", url, grow, APPOINTMENT_QUERIES)
    assert clients["cpip"].get(url).content.decode().count("reporté : Empêchement") == 13


# Request, the SPIP's places (+ organisation), their agendas (prefetch, + agent, count of slot
# templates annotated).
PLACES_QUERIES = REQUEST_QUERIES + 2


def test_places(cast: Cast, clients: Any) -> None:
    from parcours.agenda.models import Agenda, Place

    from .agenda.factories import agenda_for, with_slots

    with_slots(agenda_for(cast))

    def grow() -> None:
        for i in range(10):
            place = Place.objects.create(
                organisation=cast.antenna,
                spip=cast.spip,
                name=f"Lieu {i}",
                address="1 rue de la Paix",
                postal_code="59000",
                city="Lille",
            )
            for user in (cast.cpip, cast.cpip2, None):
                Agenda.objects.create(place=place, agent=user, label=f"Agenda {i}")
        with_slots(agenda_for(cast, cast.cpip2))

    _check(clients, "secretariat", reverse("agenda:places"), grow, PLACES_QUERIES)


# Request, past appointments grouped by agent, antenna and status, the measures judged in the
# period with their first honoured appointment (délai de prise en charge).
INDICATORS_QUERIES = REQUEST_QUERIES + 2


@pytest.mark.parametrize("role", ["cpip", "dpip"])
def test_indicators(cast: Cast, clients: Any, role: str) -> None:
    from parcours.rules.agenda import AppointmentStatus

    from .agenda.factories import agenda_for, make_appointment

    statuses = [AppointmentStatus.HONORE, AppointmentStatus.ABSENT, AppointmentStatus.PLANIFIE]

    def add(count: int) -> None:
        agenda_for(cast, cast.cpip2)
        for i in range(count):
            person = _person(cast, judgment_date=timezone.localdate() - timedelta(days=20))
            make_appointment(
                cast,
                person=person,
                starts_at=timezone.now() - timedelta(days=1 + i),
                status=statuses[i % 3],
            )

    add(2)
    _check(clients, role, reverse("agenda:indicators"), lambda: add(15), INDICATORS_QUERIES)


# Request, the person's door (person), the audit insert, "has the person any appointment" (default
# type), the default type, the default agenda (the referent's), the chosen agenda and type again
# (from the form's values), the free slots (+ type), then the choices of the form: appointment
# types, agendas (+ place and SPIP, agent), the person's current measures (+ type).
BOOK_QUERIES = REQUEST_QUERIES + 11 + JOURNAL_QUERIES


def test_booking_form(cast: Cast, clients: Any) -> None:
    from .agenda.factories import agenda_for, make_appointment, next_open_day, with_slots

    agenda = with_slots(agenda_for(cast))

    def grow() -> None:
        with_slots(agenda_for(cast, cast.cpip2))
        for days in range(10, 22):
            make_appointment(cast, starts_at=next_open_day(agenda, days_ahead=days))
            MeasureFactory(person=cast.person)

    url = reverse("agenda:book", args=[cast.person.public_id])
    _check(clients, "cpip", url, grow, BOOK_QUERIES)


# Request, the user's active feed.
FEEDS_QUERIES = REQUEST_QUERIES + 1


def test_feeds(cast: Cast, clients: Any) -> None:
    from parcours.agenda.models import CalendarFeed

    def grow() -> None:
        for i in range(12):
            CalendarFeed.objects.create(
                user=cast.cpip, token_hash=f"{i:064d}", revoked_at=timezone.now()
            )
        CalendarFeed.objects.create(user=cast.cpip, token_hash="a" * 64)

    _check(clients, "cpip", reverse("agenda:feeds"), grow, FEEDS_QUERIES)


# --- Notifications ---------------------------------------------------------------------------

# Request, the SPIP's reminder settings, which (role, channel) the SPIP has its own text for, the
# SPIP's and national texts (one query, services.templates_for).
NOTIFICATION_TEMPLATES_QUERIES = REQUEST_QUERIES + 3


def test_notification_templates(cast: Cast, clients: Any) -> None:
    from parcours.notifications.models import MessageTemplate
    from parcours.rules.notifications import Channel, MessageRole

    def grow() -> None:
        for role in MessageRole:
            for channel in Channel:
                for spip in (None, cast.spip, cast.other_spip):
                    MessageTemplate.objects.create(
                        spip=spip, role=role, channel=channel, body=f"Texte {role} {channel}"
                    )

    url = reverse("notifications:templates")
    _check(clients, "dpip", url, grow, NOTIFICATION_TEMPLATES_QUERIES)


# --- Notes -----------------------------------------------------------------------------------

# Request, the note (+ person, author, measure and its type), the person's door (person), the
# audit insert; the history adds its versions (+ editor).
NOTE_DETAIL_QUERIES = REQUEST_QUERIES + 3 + JOURNAL_QUERIES
NOTE_HISTORY_QUERIES = NOTE_DETAIL_QUERIES + 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [("notes:detail", NOTE_DETAIL_QUERIES), ("notes:history", NOTE_HISTORY_QUERIES)],
)
def test_note_pages(cast: Cast, clients: Any, name: str, expected: int) -> None:
    from parcours.notes.services import update_note

    from .notes.factories import make_note

    note = make_note(cast.person)

    def grow() -> None:
        for i in range(12):
            note.refresh_from_db()
            update_note(
                acting_user=cast.dpip if i % 2 else cast.cpip,
                note=note,
                expected_version=note.version,
                kind=note.kind,
                event_date=date(2026, 1, 15),
                body=f"Entretien, version {i}",
                sensitive=False,
                measure=cast.person.measures.first(),
            )

    _check(clients, "cpip", reverse(name, args=[note.public_id]), grow, expected)


# --- Reports ---------------------------------------------------------------------------------


# Request, then the reports (+ person, measure and its type, author): "Mes rapports" runs two
# lists (open, then the last transmitted), the others one (the court's with the tribunal).
MY_REPORTS_QUERIES = REQUEST_QUERIES + 2
TO_VALIDATE_QUERIES = REQUEST_QUERIES + 1
COURT_REPORTS_QUERIES = REQUEST_QUERIES + 1


@pytest.mark.parametrize(
    ("name", "role", "statuses", "expected"),
    [
        (
            "reports:mine",
            "cpip",
            [report_rules.BROUILLON, report_rules.SOUMIS, report_rules.TRANSMIS],
            MY_REPORTS_QUERIES,
        ),
        ("reports:to_validate", "dpip", [report_rules.SOUMIS], TO_VALIDATE_QUERIES),
        (
            "reports:court",
            "jap",
            [report_rules.TRANSMIS, report_rules.RECU, report_rules.DECISION],
            COURT_REPORTS_QUERIES,
        ),
    ],
)
def test_report_lists(
    cast: Cast,
    clients: Any,
    private_media: Path,
    name: str,
    role: str,
    statuses: list[str],
    expected: int,
) -> None:
    from .reports.factories import report_in

    def add(count: int) -> None:
        for i in range(count):
            person = _person(cast, tribunal=cast.tribunal)
            report_in(person, statuses[i % len(statuses)], due_date=date(2026, 1, 1 + i))

    add(1)
    _check(clients, role, reverse(name), lambda: add(12), expected)


# Request, the report (+ person, measure with type and tribunal, author, validator, last editor),
# the person's door (person), the audit insert, the history (events + actor).
REPORT_DETAIL_QUERIES = REQUEST_QUERIES + 4 + JOURNAL_QUERIES


@pytest.mark.parametrize(
    ("role", "status"), [("cpip", report_rules.BROUILLON), ("jap", report_rules.TRANSMIS)]
)
def test_report_detail(
    cast: Cast, clients: Any, private_media: Path, role: str, status: str
) -> None:
    from parcours.reports.models import Report, ReportEvent

    from .reports.factories import report_in

    report = report_in(cast.person, status)

    def grow() -> None:
        actors = [cast.cpip, cast.cpip2, cast.dpip, cast.jap]
        for i in range(12):
            ReportEvent.objects.create(
                report=report,
                action="test",
                from_status=status,
                to_status=status,
                actor=actors[i % len(actors)],
                comment=f"Étape {i}",
            )
        Report.objects.filter(pk=report.pk).update(version=13)

    url = reverse("reports:detail", args=[report.public_id])
    _check(clients, role, url, grow, REPORT_DETAIL_QUERIES)
