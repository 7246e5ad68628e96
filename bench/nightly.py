"""Time of the nightly recomputations (alerts, compliance) on the current database
(run by `make bench` on the demo data). Each is run `--runs` times; the first run of alerts
writes every row, later runs find nothing to change."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from parcours.alerts.services import recompute_alerts
    from parcours.obligations.compliance import refresh_compliance
    from parcours.obligations.models import Obligation
    from parcours.people.models import Person

    print(
        f"\nPeople: {Person.objects.count()}, obligations: {Obligation.objects.count()}, "
        f"runs: {args.runs}\n"
    )
    print("| Recomputation | median (s) | max (s) |")
    print("|---|---|---|")
    for label, job in (
        ("Alertes (échéances légales)", recompute_alerts),
        ("Suivi des obligations (conformité)", refresh_compliance),
    ):
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            job()
            timings.append(time.perf_counter() - start)
        print(f"| {label} | {statistics.median(timings):.3f} | {max(timings):.3f} |")


if __name__ == "__main__":
    main()
