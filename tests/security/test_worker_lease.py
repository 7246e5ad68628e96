"""Finding 6 (issue 14): a worker killed mid-send no longer leaves the task RUNNING forever and
the message unsent; a periodic scheduler runs the outbox's catch-up and the nightly jobs. On a
frozen clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from parcours.core.scheduler import Job, Scheduler, reclaim_stale_tasks
from parcours.notifications import tasks
from parcours.notifications.models import Message
from parcours.notifications.providers import HttpProvider

from ..notifications.factories import make_message
from ..notifications.fake_provider import FakeProvider

PARIS = ZoneInfo("Europe/Paris")


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


@pytest.fixture
def fake() -> Any:
    provider = FakeProvider()
    yield provider
    provider.close()


@pytest.mark.django_db
def test_a_message_whose_worker_died_mid_send_is_sent_once_after_the_lease(
    cast: Any, settings: Any, fake: FakeProvider, monkeypatch: Any
) -> None:
    settings.PARCOURS_SMS_BACKEND = "http"
    settings.PARCOURS_SMS_URL = fake.url
    settings.PARCOURS_SMS_TIMEOUT = 5
    settings.PARCOURS_SMS_LEASE_SECONDS = 300
    settings.PARCOURS_TASK_LEASE_SECONDS = 3600
    person = cast.person
    person.phone = "+33612345678"
    person.save()
    start = paris(16, 11)
    with time_machine.travel(start, tick=False):
        message = make_message(person, state="programme")
        result = tasks.send_message_task.enqueue(message.pk)
        row = DBTaskResult.objects.get(id=result.id)
        row.claim("worker-1")  # what db_worker does before running the task

        def dies_after_the_provider_accepted(channel: str) -> Any:
            real = HttpProvider(fake.url, timeout=5)

            class Dying:
                def send(self, msg: Message) -> Any:
                    real.send(msg)
                    raise WorkerKilled

            return Dying()

        monkeypatch.setattr(tasks, "provider_for", dies_after_the_provider_accepted)
        with pytest.raises(WorkerKilled):
            tasks.send_message(message.pk)
        monkeypatch.undo()
        # The provider delivered it, Parcours never heard back: the message is reserved for the
        # lease, the task row stays RUNNING.
        message.refresh_from_db()
        assert (message.state, message.attempts) == ("programme", 1)
        assert message.next_attempt_at == start + timedelta(seconds=300)
        assert len(fake.deliveries) == 1
        # Within the lease nothing is sent again, even by the catch-up.
        assert tasks.send_due_messages(now=start + timedelta(seconds=299)) == {}

    jobs = [
        Job("send_due_messages", every=timedelta(minutes=1)),
        Job("reclaim_tasks", every=timedelta(minutes=5)),
    ]
    ran: list[str] = []

    def run(command: str) -> None:
        ran.append(command)
        call_command(command, stdout=StringIO())

    scheduler = Scheduler(jobs, zone=PARIS, run=run)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert scheduler.tick(timezone.now()) == ["send_due_messages", "reclaim_tasks"]
    message.refresh_from_db()
    assert message.state == "delivre"
    assert message.attempts == 2
    # Two requests with the same idempotency key, one delivery: no duplicate SMS.
    keys = [r["key"] for r in fake.requests]
    assert keys == [str(message.idempotency_key)] * 2
    assert len(fake.deliveries) == 1
    # The task row is not RUNNING forever: after its lease it is queued again, and running it
    # again is harmless (the message is no longer due).
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        scheduler.tick(timezone.now())
        row.refresh_from_db()
        assert row.status == TaskResultStatus.READY
        assert tasks.send_message(message.pk) == "ignore"
    assert len(fake.deliveries) == 1


@pytest.mark.django_db
def test_a_task_killed_three_times_is_failed_not_retried_forever(cast: Any) -> None:
    now = timezone.now()
    result = tasks.send_message_task.enqueue(0)
    row = DBTaskResult.objects.get(id=result.id)
    for worker in ("w1", "w2", "w3"):
        row.claim(worker)
    row.started_at = now - timedelta(hours=2)
    row.save(update_fields=["started_at"])
    assert reclaim_stale_tasks(now - timedelta(hours=1, minutes=59), timedelta(hours=1)) == {
        "requeued": 0,
        "failed": 0,
    }
    assert reclaim_stale_tasks(now, timedelta(hours=1)) == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED


def test_the_scheduler_runs_each_job_at_its_time(tmp_path: Path) -> None:
    jobs = [
        Job("send_due_messages", every=timedelta(seconds=60)),
        Job("recompute_alerts", at=datetime.strptime("02:15", "%H:%M").time()),
    ]
    ran: list[tuple[str, datetime]] = []
    state = tmp_path / "scheduler.json"

    def scheduler() -> Scheduler:
        return Scheduler(jobs, zone=PARIS, run=lambda c: ran.append((c, now)), state_file=state)

    first = scheduler()
    now = paris(16, 2, 0)
    first.skip_missed_daily(now)  # make run has just run the nightly jobs
    assert first.tick(now) == ["send_due_messages"]
    now = paris(16, 2, 0) + timedelta(seconds=30)
    assert first.tick(now) == []
    now = paris(16, 2, 15)
    assert first.tick(now) == ["send_due_messages", "recompute_alerts"]
    now = paris(16, 2, 16)
    assert first.tick(now) == ["send_due_messages"]
    # Stopped the whole next night; restarted at 09:00 the day after: the missed night runs at
    # once (the last runs were kept), then not again until the following night.
    again = scheduler()
    now = paris(17, 9, 0)
    assert again.tick(now) == ["send_due_messages", "recompute_alerts"]
    now = paris(18, 2, 14)
    assert "recompute_alerts" not in again.tick(now)
    now = paris(18, 2, 15)
    assert "recompute_alerts" in again.tick(now)


def test_the_default_schedule_runs_the_catch_up_and_the_nightly_jobs(settings: Any) -> None:
    from django.core.management import get_commands

    jobs = [Job.from_setting(entry) for entry in settings.PARCOURS_SCHEDULE]
    every = {job.command for job in jobs if job.every is not None}
    nightly = {job.command for job in jobs if job.at is not None}
    assert {"send_due_messages", "reclaim_tasks"} <= every
    assert {"recompute_alerts", "recompute_compliance", "generate_slots"} <= nightly
    assert set(get_commands()) >= every | nightly | {"run_scheduler"}


def test_make_run_starts_the_worker_and_the_scheduler() -> None:
    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert "manage.py db_worker" in script
    assert "manage.py run_scheduler" in script
