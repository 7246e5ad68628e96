"""Time of the nightly recomputations (alerts, compliance) on the current database
(run by `make bench` on the demo data). Each is run `--runs` times; the first run of alerts
writes every row, later runs find nothing to change."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator

import _django  # noqa: F401  (sets Django up: first)

from parcours.alerts.services import recompute_alerts
from parcours.obligations.compliance import refresh_compliance
from parcours.obligations.models import Obligation
from parcours.people.models import Person

JOBS = (
    ("Alertes (échéances légales)", recompute_alerts),
    ("Suivi des obligations (conformité)", refresh_compliance),
)


def time_jobs(runs: int) -> Iterator[tuple[str, list[float]]]:
    """Each recomputation run `runs` times in a row: its label and the seconds of each run."""
    for label, job in JOBS:
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            job()
            timings.append(time.perf_counter() - start)
        yield label, timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"\nPeople: {Person.objects.count()}, obligations: {Obligation.objects.count()}, "
        f"runs: {args.runs}\n"
    )
    print("| Recomputation | median (s) | max (s) |")
    print("|---|---|---|")
    for label, timings in time_jobs(args.runs):
        print(f"| {label} | {statistics.median(timings):.3f} | {max(timings):.3f} |")


if __name__ == "__main__":
    main()
