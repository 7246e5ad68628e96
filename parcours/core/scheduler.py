"""The periodic scheduler (issue 14, finding 6): django-tasks has none, so this runs the
cron-like jobs of `settings.PARCOURS_SCHEDULE` (management commands by name) from one process,
`manage.py run_scheduler`, started by `make run` and, in production, on one host (or replaced by
the cron entries of docs/operations.md).

- every N seconds: `send_due_messages` (the outbox's catch-up: a message whose worker died is due
  again after its lease) and `reclaim_tasks` (tasks left RUNNING by a killed worker);
- once a day at a local time (settings.TIME_ZONE): the nightly jobs. A job marked `per_zone`
  (the recomputations of alerts and compliance) runs at that local time *in each time zone of
  the SPIP* (`settings.PARCOURS_SERVICE_ZONES` lists them), as `command --zone <zone>`: Nouméa's
  and Cayenne's statuses are those of their own new day (R-DATES-LOCAL), not of a night in Paris.
  A night missed while the scheduler was stopped is run at its next start (the last runs are
  kept in `PARCOURS_VAR_DIR/scheduler.json`, per job and zone).

`reclaim_stale_tasks` puts a task RUNNING past its lease back to READY (every task of Parcours is
idempotent: the message state machine, set-based recomputations), or FAILED after three workers
died on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("parcours.scheduler")
MAX_RUNS = 3


@dataclass(frozen=True)
class Job:
    command: str
    every: timedelta | None = None
    at: time | None = None  # local wall-clock time, daily
    per_zone: bool = False  # daily, at `at` in each SPIP time zone (`--zone <zone>`)

    @classmethod
    def from_setting(cls, entry: Any) -> Job:
        if "every_seconds" in entry:
            return cls(entry["command"], every=timedelta(seconds=int(entry["every_seconds"])))
        return cls(
            entry["command"],
            at=time.fromisoformat(entry["at"]),
            per_zone=bool(entry.get("per_zone", False)),
        )


def latest_slot(at: time, now: datetime, zone: ZoneInfo) -> datetime:
    """The latest daily occurrence of `at` (local time) not after `now`."""
    local = now.astimezone(zone)
    slot = datetime.combine(local.date(), at, tzinfo=zone)
    if slot > local:
        slot = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=zone)
    return slot


def is_due(job: Job, last_run: datetime | None, now: datetime, zone: ZoneInfo) -> bool:
    if job.every is not None:
        return last_run is None or now - last_run >= job.every
    assert job.at is not None
    return last_run is None or last_run < latest_slot(job.at, now, zone)


class Scheduler:
    def __init__(
        self,
        jobs: Iterable[Job],
        *,
        zone: ZoneInfo,
        run: Callable[..., None],
        state_file: Path | None = None,
        zones: Callable[[], Iterable[str]] = tuple,
    ) -> None:
        self.jobs = list(jobs)
        self.zone = zone
        self.run = run  # run(command, *arguments)
        self.zones = zones
        self.state_file = state_file
        self.last_runs: dict[str, datetime] = {}
        if state_file is not None and state_file.exists():
            try:
                raw = json.loads(state_file.read_text(encoding="utf-8"))
                self.last_runs = {k: datetime.fromisoformat(v) for k, v in raw.items()}
            except (ValueError, TypeError, AttributeError):
                logger.warning("État du planificateur illisible (%s) : ignoré", state_file)

    def _save(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        data = {k: v.isoformat() for k, v in self.last_runs.items()}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        tmp.replace(self.state_file)

    def _runs(self) -> list[tuple[str, Job, ZoneInfo, tuple[str, ...]]]:
        """Each job as it runs: (key in the state, job, zone of its time, arguments)."""
        runs: list[tuple[str, Job, ZoneInfo, tuple[str, ...]]] = []
        zones: list[str] | None = None
        for job in self.jobs:
            if not job.per_zone:
                runs.append((job.command, job, self.zone, ()))
                continue
            if zones is None:
                zones = sorted(set(self.zones()))
            runs.extend(
                (f"{job.command}@{name}", job, ZoneInfo(name), ("--zone", name)) for name in zones
            )
        return runs

    def skip_missed_daily(self, now: datetime) -> None:
        """The daily jobs count as run now (`make run` has just run them at start-up)."""
        for key, job, _, _ in self._runs():
            if job.at is not None:
                self.last_runs[key] = now
        self._save()

    def tick(self, now: datetime) -> list[str]:
        """Runs every due job once (a job per zone once in each zone whose time has come);
        returns their keys. A failing job is logged and counted as run (it is tried again at its
        next time, not in a loop)."""
        ran = []
        for key, job, zone, arguments in self._runs():
            if not is_due(job, self.last_runs.get(key), now, zone):
                continue
            try:
                self.run(job.command, *arguments)
            except Exception:
                logger.exception("Tâche planifiée %s en échec", key)
            self.last_runs[key] = now
            ran.append(key)
        if ran:
            self._save()
        return ran


def reclaim_stale_tasks(now: datetime, lease: timedelta) -> dict[str, int]:
    """Tasks RUNNING since before `now - lease` (their worker was killed): back to READY, or
    FAILED once MAX_RUNS workers have claimed them."""
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        stale = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - lease
        )
        for row in stale:
            if len(row.worker_ids) >= MAX_RUNS:
                row.status = TaskResultStatus.FAILED
                row.finished_at = now
                row.exception_class_path = "parcours.core.scheduler.LeaseExpired"
                row.traceback = (
                    f"{len(row.worker_ids)} workers were stopped while running this task "
                    f"(lease {lease}); not retried again."
                )
                row.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                counts["failed"] += 1
            else:
                row.status = TaskResultStatus.READY
                row.run_after = now
                row.save(update_fields=["status", "run_after"])
                counts["requeued"] += 1
    return counts
