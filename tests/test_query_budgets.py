"""Query budgets: list and detail pages run a fixed number of queries, whatever the row count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parcours.audit.services import extra_queries

from .factories import MeasureFactory, PersonFactory, measure_type
from .helpers import count_queries

pytestmark = pytest.mark.django_db


def add_people(cast, count: int, referent=None):
    for _ in range(count):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=referent or cast.cpip)
        MeasureFactory(person=person)
        MeasureFactory(person=person, measure_type=measure_type("tig"))


# Caseload page: session, user (+ organisation + SPIP), count, page of people (values, referent
# and antenna joined), their current measures (values, measure types joined). The filter choices
# (measure types, antennas, CPIPs: three queries) come from the cache after the warm-up request
# (people.selectors.filter_choices; the cold page: test_caseload_filters.py).
# The release countdown (people.selectors.upcoming_releases): the page's open écrous, one query.
CASELOAD_QUERIES = 5 + 1


def test_caseload_queries_do_not_grow_with_rows(cast, clients):
    url = reverse("people:caseload")
    add_people(cast, 2)
    few, _ = count_queries(clients["cpip"], url)
    add_people(cast, 20)
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    assert many == CASELOAD_QUERIES, "\n".join(q[:120] for q in sql)


def test_service_caseload_queries_do_not_grow_with_rows(cast, clients):
    url = reverse("people:caseload")
    add_people(cast, 2, referent=cast.cpip2)
    few, _ = count_queries(clients["dpip"], url)
    add_people(cast, 20, referent=cast.cpip2)
    many, sql = count_queries(clients["dpip"], url)
    assert few == many, sql
    assert many == CASELOAD_QUERIES, "\n".join(q[:120] for q in sql)


# Person file: session, user (+ organisation + SPIP), person (+ SPIP, antenna, referent), audit
# insert; then each panel's own queries (people.panels.person_file): identity (addresses), alerts,
# measures (+ type, tribunal) and their obligations (prefetch, type joined), the registres (the
# TIG ledgers; the current TIG and compensable measures are those the measures panel read),
# manquements (+ measure), assignments (+ CPIP). The justificatifs add one prefetch when
# obligations exist.
# The TIG ledgers add one prefetch of their sessions when a ledger exists.
# The notes panel (notes/panels.py) adds one query: the person's last notes, author joined.
NOTES_PANEL_QUERIES = 1
# The reports panel (reports/panels.py) adds one query: the person's reports the user may see.
REPORTS_PANEL_QUERIES = 1
# The notifications panel (notifications/panels.py) adds one query: the person's last messages.
NOTIFICATIONS_PANEL_QUERIES = 1
# Appointments: upcoming, recent, the 12-month attendance statuses.
AGENDA_PANEL_QUERIES = 3
# The calendar panel (measures/panels.py): the measures (+ type) and their suspensions
# (prefetch), the incarceration periods, and the cases of the legal rules
# (measures.selectors.read_cases: measures, incarcerations, suspensions, evaluations, reports
# transmitted, JAP hearings held, first SPIP meeting held after each measure's origin, TIG hours).
CALENDAR_PANEL_QUERIES = 3 + 8
# The detention panels (detention/panels.py): the person's latest écrou, establishment and
# computed situation joined, read once for both; "Détention" reads five lists when there is one.
DETENTION_PANEL_QUERIES = 1
# The person's space (space/panels.py): the space account (+ who changed it) and the last notices
# (+ author).
SPACE_PANEL_QUERIES = 2
PANEL_QUERIES = (
    SPACE_PANEL_QUERIES
    + DETENTION_PANEL_QUERIES
    + AGENDA_PANEL_QUERIES
    + NOTES_PANEL_QUERIES
    + REPORTS_PANEL_QUERIES
    + NOTIFICATIONS_PANEL_QUERIES
    + CALENDAR_PANEL_QUERIES
)
# Compensation ledgers (CP 132-45 5°): the ledgers (+ installments and payments, prefetched, when
# there is one: see the test below).
COMPENSATION_QUERIES = 1
# The journal's insert chains the row (audit.services.record): it reads the last hash, after an
# advisory lock on PostgreSQL.
JOURNAL_QUERIES = extra_queries()
PERSON_QUERIES = 11 + COMPENSATION_QUERIES + PANEL_QUERIES + JOURNAL_QUERIES
PERSON_QUERIES_WITH_OBLIGATIONS = PERSON_QUERIES + 1


def test_person_file_queries_do_not_grow_with_measures_and_history(cast, clients):
    url = reverse("people:detail", args=[cast.person.public_id])
    few, _ = count_queries(clients["cpip"], url)
    for _ in range(10):
        MeasureFactory(person=cast.person, measure_type=measure_type("stage"))
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    assert many == PERSON_QUERIES, "\n".join(q[:120] for q in sql)


def test_team_view_queries_do_not_grow_with_cpips_or_people(cast, clients):
    url = reverse("people:team")
    add_people(cast, 3)
    few, _ = count_queries(clients["dpip"], url)
    add_people(cast, 15, referent=cast.cpip2)
    many, sql = count_queries(clients["dpip"], url)
    assert few == many, sql


def test_journal_queries_do_not_grow_with_events(cast, clients):
    url = reverse("audit:journal")
    person_url = reverse("people:detail", args=[cast.person.public_id])
    clients["cpip"].get(person_url)
    few, _ = count_queries(clients["dpip"], url)
    for _ in range(15):
        clients["cpip"].get(person_url)
    many, sql = count_queries(clients["dpip"], url)
    assert few == many, sql


def test_person_file_queries_do_not_grow_with_obligations_and_proofs(
    cast, clients, settings, tmp_path
):
    from .obligations.factories import make_obligation, make_proof

    settings.MEDIA_ROOT = tmp_path / "private"
    url = reverse("people:detail", args=[cast.person.public_id])
    make_proof(make_obligation(cast.person))
    few, _ = count_queries(clients["cpip"], url)
    second = MeasureFactory(person=cast.person, measure_type=measure_type("tig"))
    for code in ("cp_132_45_3", "cp_132_45_9", "cp_132_45_1", "cp_132_45_21"):
        obligation = make_obligation(cast.person, code=code)
        for _ in range(3):
            make_proof(obligation)
        other = make_obligation(cast.person, code=code, measure=second)
        make_proof(other, kind="papier", stored_path="")
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    assert many == PERSON_QUERIES_WITH_OBLIGATIONS, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_breaches(cast, clients):
    from parcours.breaches.models import Breach

    url = reverse("people:detail", args=[cast.person.public_id])
    few, _ = count_queries(clients["cpip"], url)
    measure = cast.person.measures.order_by("pk").first()
    for day in range(1, 8):
        Breach.objects.create(
            person=cast.person,
            measure=measure,
            kind="absence",
            occurred_on=f"2026-10-{day:02d}",
            facts="Absent à la convocation.",
            proposed_step="rappel",
            chosen_step="rappel",
        )
    many, sql = count_queries(clients["cpip"], url)
    assert few == many == PERSON_QUERIES, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_tig_sessions(cast, clients):
    from datetime import date

    from tests.ledgers.factories import add_session, first_tig_ledger

    url = reverse("people:detail", args=[cast.person.public_id])
    ledger = first_tig_ledger(cast.person)
    add_session(ledger, date(2026, 2, 2))
    few, _ = count_queries(clients["cpip"], url)
    for day in range(3, 28):
        add_session(ledger, date(2026, 2, day), "2.5")
    many, sql = count_queries(clients["cpip"], url)
    # The TIG ledgers add one query, their sessions one prefetch; their one due date (issue 13,
    # R-CP-131-22) the measures' suspensions (prefetch) and the person's incarcerations.
    assert few == many == PERSON_QUERIES + 3, "\n".join(q[:120] for q in sql)


def _appointments_today(cast, count: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from .agenda.factories import make_appointment

    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    for i in range(count):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        make_appointment(cast, person=person, starts_at=start + timedelta(minutes=5 * i))


@pytest.mark.parametrize("name", ["agenda:reception", "agenda:day"])
def test_agenda_pages_do_not_grow_with_appointments(cast, clients, name):
    from django.utils import timezone

    from .agenda.factories import agenda_for, with_slots

    with_slots(agenda_for(cast))
    params = {"day": timezone.localdate().isoformat()}
    _appointments_today(cast, 2)
    few, _ = count_queries(clients["cpip"], reverse(name), params)
    _appointments_today(cast, 12)
    many, sql = count_queries(clients["cpip"], reverse(name), params)
    assert few == many, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_compensation_payments(cast, clients):
    from datetime import date
    from decimal import Decimal

    from parcours.ledgers.models import CompensationPayment

    from .ledgers.factories import first_compensation_ledger

    ledger = first_compensation_ledger(cast.person)
    url = reverse("people:detail", args=[cast.person.public_id])
    few, _ = count_queries(clients["cpip"], url)
    for day in range(1, 11):
        CompensationPayment.objects.create(
            ledger=ledger, paid_on=date(2026, 3, day), amount=Decimal("10")
        )
    many, sql = count_queries(clients["cpip"], url)
    assert few == many == PERSON_QUERIES + 2, "\n".join(q[:120] for q in sql)
