"""`manage.py` on the browser tests' virtual clock.

The e2e server and the commands run beside it (migrate, seed_demo, recompute_*) all read one
continuous clock: `PARCOURS_FROZEN_NOW` at the wall-clock instant `PARCOURS_FROZEN_EPOCH` (a Unix
time), ticking from there. The demo is then seeded for the same day on every run, whatever the
real date, and the pages the tests read show the same calendar.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import time_machine

BASE_DIR = Path(__file__).resolve().parents[2]


def main() -> None:
    start = datetime.fromisoformat(os.environ["PARCOURS_FROZEN_NOW"])
    elapsed = time.time() - float(os.environ["PARCOURS_FROZEN_EPOCH"])
    time_machine.travel(start + timedelta(seconds=elapsed), tick=True).start()
    sys.path.insert(0, str(BASE_DIR))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])


if __name__ == "__main__":
    main()
