"""Set-based writers (parcours.core.bulk) and the chunked whole-country recomputations."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from parcours.alerts.models import Alert
from parcours.core import bulk
from parcours.obligations.models import Obligation
from parcours.people.models import Person

from .factories import MeasureFactory, PersonFactory
from .obligations.factories import make_obligation

pytestmark = pytest.mark.django_db


def test_update_rows_sets_each_row_its_own_values_including_nulls_and_dates(cast):
    obligations = []
    for _ in range(3):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        MeasureFactory(person=person)
        obligations.append(make_obligation(person))
    first, second, untouched = obligations
    written = bulk.update_rows(
        Obligation,
        ["compliance_status", "compliance_explanation", "compliance_next_due"],
        [
            (first.pk, "en_retard", "Justificatif d'« avril » manquant", date(2026, 4, 30)),
            (second.pk, "", "", None),
        ],
        batch_size=1,  # two statements
    )
    assert written == 2
    first.refresh_from_db()
    second.refresh_from_db()
    untouched_before = (untouched.compliance_status, untouched.compliance_next_due)
    untouched.refresh_from_db()
    assert (first.compliance_status, first.compliance_next_due) == ("en_retard", date(2026, 4, 30))
    assert first.compliance_explanation == "Justificatif d'« avril » manquant"
    assert (second.compliance_status, second.compliance_next_due) == ("", None)
    assert (untouched.compliance_status, untouched.compliance_next_due) == untouched_before


def test_update_rows_with_only_nulls_in_a_date_column(cast):
    """On PostgreSQL a VALUES column of NULLs is text: the cast to the column type is needed."""
    obligation = make_obligation(cast.person)
    Obligation.objects.filter(pk=obligation.pk).update(compliance_next_due=date(2026, 1, 31))
    bulk.update_rows(Obligation, ["compliance_next_due"], [(obligation.pk, None)])
    obligation.refresh_from_db()
    assert obligation.compliance_next_due is None


def test_insert_rows_fills_the_columns_left_out_with_their_defaults(cast):
    measure = cast.person.measures.order_by("pk").first()
    now = timezone.now().replace(microsecond=0)
    count = bulk.insert_rows(
        Alert,
        ["person_id", "spip_id", "measure_id", "kind", "label", "due_date", "computed_at"],
        [
            (
                cast.person.pk,
                cast.person.spip_id,
                measure.pk,
                "fin_mesure",
                "Fin de mesure",
                date(2027, 1, 2),
                now,
            )
        ],
    )
    assert count == 1
    alert = Alert.objects.get(measure=measure, kind="fin_mesure")
    assert (alert.label, alert.due_date, alert.computed_at, alert.article) == (
        "Fin de mesure",
        date(2027, 1, 2),
        now,
        "",  # left out: the field's default
    )


def test_id_ranges_cover_every_key_once(cast):
    for _ in range(6):
        PersonFactory(spip=cast.spip, antenna=cast.antenna)
    ids = list(Person.objects.values_list("pk", flat=True))
    ranges = list(bulk.id_ranges(Person, 4))
    covered = [pk for first, last in ranges for pk in ids if first <= pk <= last]
    assert sorted(covered) == sorted(ids)
    assert all(last - first < 4 for first, last in ranges)


def test_run_in_chunks_adds_up_the_chunks_or_runs_once_for_given_ids(cast):
    for _ in range(5):
        PersonFactory(spip=cast.spip, antenna=cast.antenna)
    calls: list[tuple[str, Any]] = []

    def job(chunk: bulk.Chunk) -> Counter[str]:
        calls.append((chunk.lookup, chunk.value))
        return Counter(people=Person.objects.filter(chunk.of("pk")).count())

    total = bulk.run_in_chunks(job, Person, None, 2)
    assert total["people"] == Person.objects.count()
    assert len(calls) >= 3 and {lookup for lookup, _ in calls} == {"range"}
    calls.clear()
    assert (
        bulk.run_in_chunks(job, Person, [3, 1, 3], 2)["people"]
        == Person.objects.filter(pk__in=[1, 3]).count()
    )
    assert calls == [("in", [1, 3])]


def test_a_chunked_whole_country_run_equals_one_run_over_everybody(cast, monkeypatch):
    from parcours.alerts import services as alerts
    from parcours.obligations import compliance

    for i in range(7):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        MeasureFactory(person=person)
        if i % 2:
            make_obligation(person)
    everybody = list(Person.objects.values_list("pk", flat=True))
    today = date(2026, 6, 15)

    def snapshot() -> tuple[Any, ...]:
        return (
            sorted(Alert.objects.values_list("measure_id", "kind", "person_id", "due_date")),
            sorted(
                Obligation.objects.values_list("pk", "compliance_status", "compliance_next_due")
            ),
            sorted(Person.objects.values_list("pk", "compliance_status")),
        )

    alerts.recompute_alerts(today, person_ids=everybody)
    compliance.refresh_compliance(everybody, today=today)
    expected = snapshot()
    Alert.objects.all().delete()
    Obligation.objects.update(compliance_status="", compliance_next_due=None)
    Person.objects.update(compliance_status="")
    monkeypatch.setattr(alerts, "CHUNK_PEOPLE", 2)
    monkeypatch.setattr(compliance, "CHUNK_PEOPLE", 2)
    counts = alerts.recompute_alerts(today)
    refreshed = compliance.refresh_compliance(today=today)
    assert snapshot() == expected
    assert counts["created"] == len(expected[0]) > 0
    assert refreshed["people"] == len(everybody)
    # Nothing left to do the second time.
    again = alerts.recompute_alerts(today)
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)


@pytest.mark.parametrize("moved_to", ["earlier", "later"])
def test_a_measure_moved_to_a_person_of_another_chunk_keeps_one_alert(cast, monkeypatch, moved_to):
    from parcours.alerts import services as alerts
    from parcours.measures.models import Measure

    first = PersonFactory(spip=cast.spip, antenna=cast.antenna)
    second = PersonFactory(spip=cast.spip, antenna=cast.antenna)
    source, target = (second, first) if moved_to == "earlier" else (first, second)
    measure = MeasureFactory(person=source)
    monkeypatch.setattr(alerts, "CHUNK_PEOPLE", 1)
    today = date(2026, 6, 15)
    alerts.recompute_alerts(today)
    kinds = set(Alert.objects.filter(measure=measure).values_list("kind", flat=True))
    assert kinds and set(
        Alert.objects.filter(measure=measure).values_list("person", flat=True)
    ) == {source.pk}
    Measure.objects.filter(pk=measure.pk).update(person=target)
    alerts.recompute_alerts(today)
    moved = Alert.objects.filter(measure=measure)
    assert set(moved.values_list("kind", flat=True)) == kinds
    assert set(moved.values_list("person", flat=True)) == {target.pk}


def test_update_rows_refuses_an_overlong_text_instead_of_cutting_it(cast):
    from django.db import DataError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce the length of a varchar column")
    obligation = make_obligation(cast.person)
    too_long = "x" * (Obligation._meta.get_field("compliance_explanation").max_length + 1)
    with pytest.raises(DataError), transaction.atomic():
        bulk.update_rows(Obligation, ["compliance_explanation"], [(obligation.pk, too_long)])
    obligation.refresh_from_db()
    assert obligation.compliance_explanation != too_long[:-1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="whole-table runs use one process on SQLite"
)
def test_a_whole_run_on_two_processes_equals_a_run_on_one(
    allow_flush: None, cast: Any, monkeypatch: Any, settings: Any
) -> None:
    """PostgreSQL: the chunks of a whole-table run go to forked children, each with its own
    connection (the data is committed: a transactional test), and add up to the same result."""
    import os

    from parcours.alerts import services as alerts

    for _ in range(7):
        person = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
        MeasureFactory(person=person)
    monkeypatch.setattr(alerts, "CHUNK_PEOPLE", 2)
    today = date(2026, 6, 15)

    def snapshot() -> list[tuple[Any, ...]]:
        return sorted(Alert.objects.values_list("measure_id", "kind", "person_id", "due_date"))

    settings.PARCOURS_NIGHTLY_PROCESSES = 1
    alone = alerts.recompute_alerts(today)
    expected = snapshot()
    Alert.objects.all().delete()
    settings.PARCOURS_NIGHTLY_PROCESSES = 2
    assert bulk.nightly_processes() == 2
    shared = alerts.recompute_alerts(today)
    assert snapshot() == expected
    assert (shared["created"], shared["total"]) == (alone["created"], alone["total"]) > (0, 0)

    def job(chunk: bulk.Chunk) -> Counter[str]:
        return Counter(
            {f"pid {os.getpid()}": 1, "people": Person.objects.filter(chunk.of("pk")).count()}
        )

    counts = bulk.run_in_chunks(job, Person, None, 2)
    assert counts["people"] == Person.objects.count()
    pids = {key for key in counts if key.startswith("pid ")}
    # Done in children (how the pool shares the chunks between its two is its business).
    assert pids and f"pid {os.getpid()}" not in pids


def test_one_process_on_sqlite_or_inside_a_transaction(settings: Any) -> None:
    settings.PARCOURS_NIGHTLY_PROCESSES = 4
    # The tests run inside a transaction (and on SQLite, in memory): never forked.
    assert bulk.nightly_processes() == 1
