"""Each SPIP's night in its own time zone (issue 13, finding 6; R-DATES-LOCAL): the scheduler runs
the recomputations at 02:15 local in each zone of the SPIP (`--zone`), a zone's run touches only
its people, and compliance is computed on each person's SPIP-local date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from parcours.accounts.zones import service_zones, spips_in_zone
from parcours.alerts.models import Alert
from parcours.core.scheduler import Job, Scheduler
from parcours.obligations import compliance

from ..conftest import Cast
from ..obligations.factories import make_obligation

PARIS = ZoneInfo("Europe/Paris")
ZONES = ["America/Cayenne", "Europe/Paris", "Pacific/Noumea"]


def test_each_zone_runs_its_night_at_its_own_0215() -> None:
    ran: list[tuple[str, ...]] = []
    jobs = [
        Job("recompute_alerts", at=time(2, 15), per_zone=True),
        Job("generate_slots", at=time(2, 25)),
    ]
    scheduler = Scheduler(jobs, zone=PARIS, run=lambda *a: ran.append(a), zones=lambda: ZONES)
    scheduler.skip_missed_daily(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    # 15:20 UTC: 02:20 on the 7th in Nouméa (UTC+11); afternoon in Paris and Cayenne.
    assert scheduler.tick(datetime(2026, 12, 6, 15, 20, tzinfo=UTC)) == [
        "recompute_alerts@Pacific/Noumea"
    ]
    assert ran == [("recompute_alerts", "--zone", "Pacific/Noumea")]
    # 01:20 UTC: 02:20 in Paris (and its plain nightly job, at 02:25 Paris, not yet).
    assert scheduler.tick(datetime(2026, 12, 7, 1, 20, tzinfo=UTC)) == [
        "recompute_alerts@Europe/Paris"
    ]
    assert scheduler.tick(datetime(2026, 12, 7, 1, 30, tzinfo=UTC)) == ["generate_slots"]
    # 05:20 UTC: 02:20 in Cayenne (UTC-3); Nouméa and Paris already done for their day.
    assert scheduler.tick(datetime(2026, 12, 7, 5, 20, tzinfo=UTC)) == [
        "recompute_alerts@America/Cayenne"
    ]
    assert scheduler.tick(datetime(2026, 12, 7, 6, 0, tzinfo=UTC)) == []


@pytest.mark.django_db
def test_the_zones_are_those_of_the_spip(cast: Cast) -> None:
    assert {"Europe/Paris", "Indian/Reunion"} <= set(service_zones())
    assert spips_in_zone("Indian/Reunion") == [cast.other_spip.pk]
    assert cast.spip.pk not in spips_in_zone("Indian/Reunion")
    assert spips_in_zone("Asia/Tokyo") == []


@pytest.mark.django_db
def test_a_zones_run_touches_only_its_people(cast: Cast) -> None:
    call_command("recompute_alerts", stdout=StringIO())
    assert Alert.objects.filter(person=cast.other_person).exists()
    assert Alert.objects.filter(person__spip=cast.spip).exists()
    Alert.objects.all().delete()
    call_command("recompute_alerts", zone="Indian/Reunion", stdout=StringIO())
    assert set(Alert.objects.values_list("person__spip", flat=True)) == {cast.other_spip.pk}
    with pytest.raises(CommandError, match="Aucun SPIP dans le fuseau horaire « Asia/Tokyo »"):
        call_command("recompute_compliance", zone="Asia/Tokyo", stdout=StringIO())


@pytest.mark.django_db
def test_compliance_uses_each_persons_spip_local_date(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_obligation(cast.person)
    make_obligation(cast.other_person)
    seen: dict[int, date] = {}
    evaluate = compliance.evaluate_row

    def spy(row: dict[str, Any], proofs: Any, today: date, *args: Any) -> Any:
        seen[row["measure__person_id"]] = today
        return evaluate(row, proofs, today, *args)

    monkeypatch.setattr(compliance, "evaluate_row", spy)
    # 21:30 UTC on 6 December: 22:30 in Lille, already 01:30 on the 7th in La Réunion (UTC+4).
    with time_machine.travel(datetime(2026, 12, 6, 21, 30, tzinfo=UTC), tick=False):
        compliance.refresh_compliance()
    assert seen[cast.person.pk] == date(2026, 12, 6)
    assert seen[cast.other_person.pk] == date(2026, 12, 7)
    # A missed night given explicitly replaces every local date.
    compliance.refresh_compliance(today=date(2026, 12, 1))
    assert set(seen.values()) == {date(2026, 12, 1)}
