"""Runs the periodic jobs of settings.PARCOURS_SCHEDULE (parcours/core/scheduler.py): one
process, on one host. `--once` runs what is due and exits (cron-friendly, and tests)."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from parcours.core.scheduler import Job, Scheduler


class Command(BaseCommand):
    help = "Lance les tâches périodiques (envoi des messages, recalculs de la nuit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30, help="Secondes entre 2 passages.")
        parser.add_argument("--once", action="store_true", help="Un seul passage, puis fin.")
        parser.add_argument(
            "--skip-missed",
            action="store_true",
            help="Considère les tâches de la nuit comme faites (make run vient de les lancer).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        def run(command: str, *arguments: str) -> None:
            shown = " ".join((command, *arguments))
            self.stdout.write(f"[{timezone.now():%Y-%m-%d %H:%M:%S}] {shown}")
            call_command(command, *arguments, stdout=self.stdout)

        scheduler = Scheduler(
            [Job.from_setting(entry) for entry in settings.PARCOURS_SCHEDULE],
            zone=ZoneInfo(settings.TIME_ZONE),
            run=run,
            state_file=Path(settings.VAR_DIR) / "scheduler.json",
            zones=import_string(settings.PARCOURS_SERVICE_ZONES),
        )
        if options["skip_missed"]:
            scheduler.skip_missed_daily(timezone.now())
        while self.running:
            close_old_connections()
            scheduler.tick(timezone.now())
            close_old_connections()
            if options["once"]:
                return
            slept = 0.0
            while self.running and slept < options["interval"]:
                time.sleep(0.5)
                slept += 0.5
