"""Prepared reads (core.prepared): the rows are those of the queryset they are built from, on
both backends, for every kind of argument; the SQL is compiled once; a build function that
cannot be prepared is refused when first used, with the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours.agenda.models import Appointment
from parcours.agenda.panels import appointments_of
from parcours.core.prepared import PreparedReadError, prepared
from parcours.measures.models import Measure
from parcours.people.models import Address, Person
from parcours.rules.agenda import AppointmentStatus

from .agenda.factories import make_appointment
from .conftest import Cast
from .factories import MeasureFactory, PersonFactory

if TYPE_CHECKING:  # a name the return annotation uses, absent when the code runs
    from parcours.obligations.models import Obligation

pytestmark = pytest.mark.django_db


def _measure_row(m: Measure) -> tuple[Any, ...]:
    tribunal = m.tribunal.name if m.tribunal_id else None
    return (m.pk, m.public_id, m.judgment_date, m.status, m.measure_type.label, tribunal)


@prepared
def measures_since(*, person_id: int, since: date) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(person_id=person_id, judgment_date__gte=since)
        .select_related("measure_type", "tribunal")
        .only("public_id", "judgment_date", "status", "measure_type__label", "tribunal__name")
        .order_by("-judgment_date", "-pk")
    )


def test_model_rows_with_joins_deferred_columns_and_a_date(cast: Cast) -> None:
    person = PersonFactory(spip=cast.spip)
    MeasureFactory(person=person, judgment_date=date(2024, 1, 10), tribunal=cast.tribunal)
    MeasureFactory(person=person, judgment_date=date(2025, 6, 1), tribunal=None)
    MeasureFactory(person=person, judgment_date=date(2020, 2, 2))  # before `since`
    MeasureFactory(person=cast.other_person, judgment_date=date(2025, 1, 1))
    since = date(2023, 1, 1)

    rows = measures_since(person_id=person.pk, since=since)

    expected = measures_since.build(person_id=person.pk, since=since)
    assert [_measure_row(m) for m in rows] == [_measure_row(m) for m in expected]
    assert [m.judgment_date for m in rows] == [date(2025, 6, 1), date(2024, 1, 10)]
    assert rows[1].tribunal == cast.tribunal and rows[0].tribunal is None
    # A deferred column is loaded on access, as with the ORM.
    assert rows[0].get_deferred_fields() == expected[0].get_deferred_fields() != set()
    # Another person, another date: the same SQL, other rows.
    other = measures_since(person_id=cast.other_person.pk, since=date(2000, 1, 1))
    assert other and {m.person_id for m in other} == {cast.other_person.pk}


@prepared
def person_by_public_id(*, public_id: UUID, spip_id: int) -> QuerySet[Person]:
    return Person.objects.filter(public_id=public_id, spip_id=spip_id).annotate(
        n_measures=Count("measures")
    )


def test_a_uuid_argument_and_an_annotation(cast: Cast) -> None:
    person = PersonFactory(spip=cast.spip)
    MeasureFactory(person=person)
    MeasureFactory(person=person)

    [found] = person_by_public_id(public_id=person.public_id, spip_id=person.spip_id)

    assert found == person
    assert found.n_measures == 2
    assert person_by_public_id(public_id=cast.person.public_id, spip_id=cast.spip.pk) == [
        cast.person
    ]
    assert person_by_public_id(public_id=person.public_id, spip_id=cast.other_spip.pk) == []


def test_datetimes_in_a_raw_subquery_and_in_a_filter_values_list(cast: Cast) -> None:
    """The person file's appointments: the same datetime is bound raw (in RawSQL) and adapted
    (in the ORM's filter); both slots take the call's value."""
    now = timezone.now()
    old = [make_appointment(cast, starts_at=now - timedelta(days=400 + d)) for d in range(3)]
    recent = make_appointment(cast, starts_at=now - timedelta(days=10))
    make_appointment(cast, starts_at=now - timedelta(days=500), status=AppointmentStatus.REPORTE)

    def as_orm(since: datetime) -> list[tuple[Any, ...]]:
        return list(appointments_of.build(person_id=cast.person.pk, since=since))

    for since in (now - timedelta(days=365), now - timedelta(days=420), now + timedelta(days=1)):
        assert appointments_of(person_id=cast.person.pk, since=since) == as_orm(since)
    rows = appointments_of(person_id=cast.person.pk, since=now - timedelta(days=365))
    assert [r[0] for r in rows] == [a.public_id for a in [*reversed(old), recent]]
    assert all(isinstance(r[1], datetime) and r[1].tzinfo is not None for r in rows)


def test_the_sql_is_compiled_once_and_run_in_one_query(cast: Cast) -> None:
    built = []

    @prepared
    def addresses(*, person_id: int) -> QuerySet[Address]:
        built.append(person_id)
        return Address.objects.filter(person_id=person_id)[:2]

    for n in range(3):
        Address.objects.create(
            person=cast.person, line=f"{n} rue", postal_code="59000", city="Lille",
            since=date(2020 + n, 1, 1),
        )  # fmt: skip
    assert [a.line for a in addresses(person_id=cast.person.pk)] == ["2 rue", "1 rue"]
    compiled = len(built)
    with CaptureQueriesContext(connection) as queries:
        assert addresses(person_id=cast.other_person.pk) == []
        assert len(addresses(person_id=cast.person.pk)) == 2
    assert len(queries.captured_queries) == 2
    assert len(built) == compiled  # no build, no compile after the first call
    assert compiled == 3  # once to learn the model, twice to compare two sets of markers


def _refused(build: Any, **keys: Any) -> str:
    with pytest.raises(PreparedReadError) as refused:
        prepared(build)(**keys)
    return str(refused.value)


def test_a_build_that_reads_the_clock_is_refused(cast: Cast) -> None:
    def due_now(*, person_id: int) -> QuerySet[Appointment]:
        return Appointment.objects.filter(person_id=person_id, starts_at__gte=timezone.now())

    assert "depends on more than its arguments" in _refused(due_now, person_id=1)


def test_an_argument_that_does_not_reach_the_parameters_is_refused(cast: Cast) -> None:
    def first_n(*, person_id: int, n: int) -> QuerySet[Address]:
        return Address.objects.filter(person_id=person_id)[:n]

    assert "['n'] do not reach the SQL parameters" in _refused(first_n, person_id=1, n=3)


@pytest.mark.parametrize(
    "build",
    [
        lambda *, person_id: Address.objects.filter(person_id=person_id),  # not annotated
    ],
)
def test_arguments_must_be_annotated_keys(build: Any) -> None:
    with pytest.raises(PreparedReadError, match="must be annotated"):
        prepared(build)


def test_positional_and_list_arguments_are_refused() -> None:
    def positional(person_id: int) -> QuerySet[Address]:
        return Address.objects.filter(person_id=person_id)

    def listed(*, person_ids: list[int]) -> QuerySet[Address]:
        return Address.objects.filter(person_id__in=person_ids)

    with pytest.raises(PreparedReadError, match="keyword-only"):
        prepared(positional)
    with pytest.raises(PreparedReadError, match="must be annotated"):
        prepared(listed)


def test_prefetch_and_value_dicts_are_refused(cast: Cast) -> None:
    def with_prefetch(*, person_id: int) -> QuerySet[Person]:
        return Person.objects.filter(pk=person_id).prefetch_related("addresses")

    def as_dicts(*, person_id: int) -> QuerySet[Person, dict[str, Any]]:
        return Person.objects.filter(pk=person_id).values("pk")

    assert "prefetch_related" in _refused(with_prefetch, person_id=1)
    assert "not ValuesIterable" in _refused(as_dicts, person_id=1)


def test_calls_take_exactly_the_declared_keywords(cast: Cast) -> None:
    with pytest.raises(TypeError, match="keyword arguments only"):
        measures_since(cast.person.pk, date(2020, 1, 1))  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes"):
        measures_since(person_id=cast.person.pk)  # type: ignore[call-arg]


def test_an_expression_and_a_q_object_keep_their_constants(cast: Cast) -> None:
    """Constants of the query (a status list, a raw fragment) stay as compiled; only the
    arguments change."""

    @prepared
    def current(*, person_id: int, at: datetime) -> QuerySet[Measure, tuple[Any, ...]]:
        return (
            Measure.objects.filter(
                Q(status__in=["en_cours", "suspendue"]) | Q(end_date__isnull=True),
                person_id=person_id,
                created_at__lte=at,
            )
            .annotate(
                months=F("probation_months") + RawSQL("%s", (0,), output_field=IntegerField())
            )
            .values_list("pk", "months")
        )

    kept = MeasureFactory(
        person=PersonFactory(spip=cast.spip), status="en_cours", probation_months=18
    )
    MeasureFactory(person=kept.person, status="revoquee")
    later = datetime(2100, 1, 1, tzinfo=UTC)
    assert current(person_id=kept.person.pk, at=later) == [(kept.pk, 18)]
    assert current(person_id=kept.person.pk, at=datetime(2000, 1, 1, tzinfo=UTC)) == []


def test_a_return_type_known_to_the_type_checker_only_is_not_evaluated(cast: Cast) -> None:
    """Only the keys' annotations are read: a module may import its return type under
    TYPE_CHECKING, as many of ours do."""

    def obligations(*, measure_id: int) -> QuerySet[Obligation]:
        from parcours.obligations.models import Obligation

        return Obligation.objects.filter(measure_id=measure_id)

    measure = MeasureFactory(person=PersonFactory(spip=cast.spip))
    assert prepared(obligations)(measure_id=measure.pk) == []
