"""The adapter from the tables to rules.legal_deadlines.MeasureCase (measures.selectors): the
person's incarceration periods, the measure's suspensions and the actions recorded in the apps
above reach the pure rules; batched reads (a constant number of queries)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.measures.models import Measure, MeasureEvaluation, MeasureSuspension
from parcours.measures.selectors import measure_reports, people_in, read_cases
from parcours.people.models import IncarcerationPeriod, Person
from parcours.rules import legal_deadlines as ld
from parcours.rules.dates import add_months

from ..conftest import Cast
from ..factories import MeasureFactory, PersonFactory, measure_type
from ..ledgers.factories import add_session

pytestmark = pytest.mark.django_db


def sursis(person: Person, code: str = "sursis_probatoire", **fields: Any) -> Measure:
    values: dict[str, Any] = {
        "judgment_date": date(2025, 3, 1),
        "executoire_on": date(2025, 3, 1),
        "start_date": None,
        "end_date": None,
        "probation_months": 24,
    }
    values.update(fields)
    return MeasureFactory(person=person, measure_type=measure_type(code), **values)


def deadline(m: Measure, kind: str) -> ld.LegalDeadline:
    report = measure_reports(m.person)[m.pk]
    return next(item for item in report.deadlines if item.kind == kind)


def planned_end(m: Measure) -> date | None:
    return measure_reports(m.person)[m.pk].planned_end.day


def test_cp_132_43_incarceration_moves_planned_end(cast: Cast) -> None:
    m = sursis(cast.person)
    # 24 months from 01/03/2025: last day 28/02/2027 (R-DATES-PERIODS).
    assert planned_end(m) == date(2027, 2, 28)
    IncarcerationPeriod.objects.create(
        person=cast.person, start=date(2025, 6, 1), end=date(2025, 7, 1), establishment="CP Lille"
    )
    assert planned_end(m) == date(2027, 2, 28) + timedelta(days=30)
    report = measure_reports(cast.person)[m.pk]
    assert "incarcération du 01/06/2025 au 30/06/2025 inclus" in report.planned_end.explanation
    assert "CP art. 132-43 al. 2" in report.planned_end.explanation


def test_cp_132_43_incarceration_applies_to_every_measure_of_the_person(cast: Cast) -> None:
    first = sursis(cast.person)
    second = sursis(cast.person, judgment_date=date(2025, 5, 2), executoire_on=date(2025, 5, 2))
    IncarcerationPeriod.objects.create(person=cast.person, start=date(2025, 9, 1), end=None)
    reports = measure_reports(cast.person)
    for m in (first, second):
        assert reports[m.pk].planned_end.day is None  # ongoing: known on the release day
        assert "premier jour de reprise" in reports[m.pk].planned_end.explanation


@settings(
    max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(
    offset=st.integers(min_value=0, max_value=600),
    days=st.integers(min_value=1, max_value=400),
)
def test_cp_132_43_incarceration_of_n_days_moves_end_by_n_days(
    cast: Cast, offset: int, days: int
) -> None:
    """Property: an incarceration of N days within the probation moves its end by exactly N."""
    m = Measure.objects.filter(person=cast.person, executoire_on=date(2025, 3, 1)).first()
    m = m or sursis(cast.person)
    IncarcerationPeriod.objects.filter(person=cast.person).delete()
    before = planned_end(m)
    assert before is not None
    start = date(2025, 3, 1) + timedelta(days=offset)
    assert start <= before
    IncarcerationPeriod.objects.create(
        person=cast.person, start=start, end=start + timedelta(days=days)
    )
    assert planned_end(m) == before + timedelta(days=days)


def test_cp_131_22_tig_due_from_court_set_delay_and_closed_by_the_hours_done(cast: Cast) -> None:
    from parcours.ledgers.models import TigLedger

    m = MeasureFactory(
        person=cast.person,
        measure_type=measure_type("tig"),
        judgment_date=date(2026, 1, 5),
        executoire_on=date(2026, 1, 5),
        start_date=None,
        end_date=None,
        probation_months=None,
        tig_delay_months=12,
    )
    item = deadline(m, ld.EXECUTION_TIG)
    assert item.due == add_months(date(2026, 1, 5), 12)
    assert "délai de 12 mois fixé par la juridiction" in item.explanation
    assert item.status != ld.DONE
    ledger = TigLedger.objects.create(
        person=cast.person,
        measure=m,
        hours_ordered=20,
        offence="delit",
        enforceable_from=date(2026, 1, 5),
    )
    add_session(ledger, date(2026, 2, 2), "12")
    assert deadline(m, ld.EXECUTION_TIG).status != ld.DONE
    add_session(ledger, date(2026, 3, 2), "8")
    assert deadline(m, ld.EXECUTION_TIG).status == ld.DONE


def test_cp_131_22_jap_suspension_for_serious_reason_moves_the_tig_delay(cast: Cast) -> None:
    m = MeasureFactory(
        person=cast.person,
        measure_type=measure_type("tig"),
        judgment_date=date(2026, 1, 5),
        executoire_on=date(2026, 1, 5),
        start_date=None,
        end_date=None,
        probation_months=None,
        tig_delay_months=18,
    )
    before = deadline(m, ld.EXECUTION_TIG).due
    MeasureSuspension.objects.create(
        measure=m, start=date(2026, 4, 1), end=date(2026, 4, 11), reason="motif_grave"
    )
    assert deadline(m, ld.EXECUTION_TIG).due == before + timedelta(days=10)


@pytest.mark.parametrize(
    ("ssj_encouru", "due"), [(True, date(2027, 3, 10)), (False, date(2027, 4, 2))]
)
def test_cpp_741_1_peine_mixte_release_8_days_when_ssj_incurred_else_1_month(
    cast: Cast, ssj_encouru: bool, due: date
) -> None:
    m = sursis(cast.person, release_date=date(2027, 3, 2), ssj_encouru=ssj_encouru)
    assert deadline(m, ld.PREMIERE_CONVOCATION).due == due


def test_cpp_741_2_spr_reevaluation_rolls_from_the_last_evaluation(cast: Cast) -> None:
    m = sursis(cast.person, "sursis_probatoire_renforce", convict_present_at_hearing=True)
    item = deadline(m, ld.REEVALUATION_ANNUELLE)
    assert item.due == date(2026, 3, 1)
    assert item.status == ld.OVERDUE
    MeasureEvaluation.objects.create(measure=m, done_on=date(2026, 11, 20))
    item = deadline(m, ld.REEVALUATION_ANNUELLE)
    assert item.due == date(2027, 11, 20)
    assert item.status == ld.UPCOMING


def test_cpp_741_2_ordinance_recorded_closes_the_deadline(cast: Cast) -> None:
    m = sursis(cast.person, "sursis_probatoire_renforce", convict_present_at_hearing=True)
    assert deadline(m, ld.OBLIGATIONS_RENFORCE).status == ld.OVERDUE
    Measure.objects.filter(pk=m.pk).update(jap_ordinance_on=date(2025, 5, 20))
    assert deadline(m, ld.OBLIGATIONS_RENFORCE).status == ld.DONE


def test_inconsistent_dates_give_a_french_problem_not_an_error(cast: Cast) -> None:
    m = sursis(cast.person)
    Measure.objects.filter(pk=m.pk).update(start_date=date(2020, 1, 1))
    (row,) = [r for r in read_cases(people_in([cast.person.pk])) if r.measure_id == m.pk]
    assert row.case is None
    assert "précéder le jugement" in row.problem
    assert m.pk not in measure_reports(cast.person)


def test_read_cases_reads_in_a_constant_number_of_queries(cast: Cast) -> None:
    def count(people: list[Person]) -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = read_cases(people_in(p.pk for p in people))
        assert len(rows) == len(people)
        return len(queries)

    people = []
    for _ in range(6):
        person = PersonFactory(spip=cast.spip)
        m = sursis(person)
        IncarcerationPeriod.objects.create(
            person=person, start=date(2025, 6, 1), end=date(2025, 7, 1)
        )
        MeasureEvaluation.objects.create(measure=m, done_on=date(2026, 1, 1))
        people.append(person)
    assert count(people[:2]) == count(people) <= 8


def test_tig_hours_ordered_come_from_the_register(cast: Cast) -> None:
    from parcours.ledgers.models import TigLedger

    m = MeasureFactory(
        person=cast.person,
        measure_type=measure_type("tig"),
        start_date=None,
        end_date=None,
        probation_months=None,
    )
    TigLedger.objects.create(
        person=cast.person,
        measure=m,
        hours_ordered=70,
        offence="delit",
        enforceable_from=date(2026, 1, 5),
    )
    (row,) = [r for r in read_cases(people_in([cast.person.pk])) if r.measure_id == m.pk]
    assert row.case is not None
    assert row.case.procedure.tig_hours == Decimal(70)


def test_first_meetings_on_or_after_each_anchor_on_the_spips_local_day(cast: Cast) -> None:
    """`first_meetings` (one query, an index probe per anchor) gives, per person and anchor, the
    first SPIP meeting and JAP hearing held on or after the anchor's local day — checked against
    reading every meeting, around midnight in La Réunion (UTC+4) and Lille."""
    from datetime import UTC, datetime

    from parcours.measures.selectors import first_meetings
    from parcours.rules.vocabulary import AppointmentStatus

    from ..agenda.factories import appointment_type, make_appointment

    def held(person: Person, at: datetime, code: str = "suivi", **fields: Any) -> None:
        make_appointment(
            cast,
            person=person,
            starts_at=at,
            status=fields.pop("status", AppointmentStatus.HONORE),
            appointment_type=appointment_type(code),
        )

    lille, reunion = cast.person, cast.other_person
    # 28/02 at 21:30 UTC is 01/03 at 01:30 in La Réunion, but still 28/02 (22:30) in Lille.
    held(lille, datetime(2025, 2, 28, 21, 30, tzinfo=UTC))
    held(reunion, datetime(2025, 2, 28, 21, 30, tzinfo=UTC))
    held(lille, datetime(2025, 3, 20, 9, tzinfo=UTC))
    held(lille, datetime(2025, 4, 2, 9, tzinfo=UTC), "audience_jap")
    held(lille, datetime(2025, 3, 5, 9, tzinfo=UTC), status=AppointmentStatus.ABSENT)
    held(reunion, datetime(2025, 9, 15, 6, tzinfo=UTC))
    zones = {lille.pk: "Europe/Paris", reunion.pk: "Indian/Reunion"}
    anchors = [
        (lille.pk, date(2025, 3, 1)),
        (lille.pk, date(2025, 3, 21)),
        (lille.pk, date(2025, 5, 1)),
        (reunion.pk, date(2025, 3, 1)),
        (reunion.pk, date(2025, 3, 2)),
    ]
    assert first_meetings(anchors, zones) == {
        (lille.pk, date(2025, 3, 1)): (date(2025, 3, 20), date(2025, 4, 2)),
        (lille.pk, date(2025, 3, 21)): (None, date(2025, 4, 2)),
        (lille.pk, date(2025, 5, 1)): (None, None),
        (reunion.pk, date(2025, 3, 1)): (date(2025, 3, 1), None),
        (reunion.pk, date(2025, 3, 2)): (date(2025, 9, 15), None),
    }


def test_r_dates_holidays_alsace_moselle_good_friday_for_a_moselle_spip(cast: Cast) -> None:
    """A deadline due on Good Friday (26/03/2027) is a working day in the Nord, not in Moselle
    (local law: the SPIP's department, Organisation.code)."""
    from parcours.accounts.models import Organisation

    m = sursis(cast.person, release_date=date(2027, 2, 26), ssj_encouru=False)
    item = deadline(m, ld.PREMIERE_CONVOCATION)
    assert (item.due, item.last_working_day) == (date(2027, 3, 26), date(2027, 3, 26))
    Organisation.objects.filter(pk=cast.spip.pk).update(code="57")
    item = deadline(m, ld.PREMIERE_CONVOCATION)
    assert (item.due, item.last_working_day) == (date(2027, 3, 26), date(2027, 3, 25))
