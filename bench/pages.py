"""Server time of the main pages against the framework floor, side by side (run by `make bench`).

Uses Django's test client in-process (no network, no browser): this measures the middleware,
the view, the queries and the template rendering — the server's share of a page.

The *floor* is the charter page of the same user once accepted (docs/benchmarks.md, "Request
floor"): an authenticated GET through every middleware and a door, rendering the base template
with the user's menu, and no case data. Each page's median is divided by its user's floor.

The person file measured is the CPIP's first file with a current measure and its obligations,
as most files of a caseload are (the first file by number may have none, and is lighter).

Floors and pages are measured in one run, interleaved: each round requests every URL once, in a
shuffled order (fixed seed), so a change of machine load moves the floor and the pages together.
`--runs` rounds after two warm-up requests per URL; median and p95 (ms) and the query count.

    PARCOURS_VAR_DIR=var/bench .venv/bin/python bench/pages.py --runs 50
    PARCOURS_VAR_DIR=var/bench .venv/bin/python bench/pages.py --profile person --runs 20

`--profile KEY` profiles `--runs` requests of one page with pyinstrument instead (keys: the
`key` column of the table).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PARCOURS_DEMO", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from parcours.accounts.models import User  # noqa: E402
from parcours.people.models import Person  # noqa: E402
from parcours.rules.measures import CURRENT_STATUSES  # noqa: E402

FLOOR_URL = "/charte/"
# Issue 12: page median / floor median of the same user.
TARGETS = {"caseload": 2.0, "agenda": 2.0, "person": 3.0}


@dataclass
class Page:
    key: str
    label: str
    username: str | None
    url: str
    timings: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def pages_to_measure(person: Person, cpip: str, dpip: str, secretariat: str | None) -> list[Page]:
    file = f"/personnes/{person.public_id}/"
    booking = f"/agenda/personne/{person.public_id}/rendez-vous/"
    by_name = "perimetre=service&q=mar"
    pages: list[Page] = [
        Page("floor-cpip", "Plancher : charte (CPIP)", cpip, FLOOR_URL),
        Page("floor-dpip", "Plancher : charte (DPIP)", dpip, FLOOR_URL),
        Page("floor-secr", "Plancher : charte (secrétariat)", secretariat, FLOOR_URL),
        Page("caseload", "Mes personnes suivies (CPIP)", cpip, "/personnes/"),
        Page("name-search", "Recherche par nom (service)", cpip, f"/personnes/?{by_name}"),
        Page("person", "Dossier d'une personne (CPIP)", cpip, file),
        Page("agenda", "Agenda du jour (CPIP)", cpip, "/agenda/"),
        Page("todo", "À traiter (CPIP)", cpip, "/a-traiter/"),
        Page("note-search", "Recherche dans les notes (CPIP)", cpip, "/recherche/?q=emploi"),
        Page("booking", "Fixer un rendez-vous (CPIP)", cpip, booking),
        Page("service", "Personnes du service (DPIP)", dpip, "/personnes/"),
        Page("team", "Mon équipe (DPIP)", dpip, "/personnes/equipe/"),
        Page("todo-dpip", "À traiter (DPIP)", dpip, "/a-traiter/"),
        Page("journal", "Journal des accès (DPIP)", dpip, "/journal/"),
        Page("indicators", "Indicateurs (DPIP, 90 jours)", dpip, "/agenda/indicateurs/"),
        Page("messages", "Messages (DPIP)", dpip, "/notifications/"),
        Page("reception", "Accueil du jour (secrétariat)", secretariat, "/agenda/accueil/"),
    ]  # fmt: skip
    # The national dataset has no secretariat account: its pages are left out there.
    return [page for page in pages if page.username is not None]


def get(client: Client, url: str) -> tuple[float, float]:
    """Wall-clock and CPU time (ms) of one request."""
    start, start_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    cpu = (time.process_time() - start_cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, cpu


def measure(pages: list[Page], clients: dict[str, Client], runs: int) -> None:
    for page in pages:
        for _ in range(2):
            get(clients[page.username], page.url)
        with CaptureQueriesContext(connection) as ctx:
            get(clients[page.username], page.url)
        page.queries = len(ctx.captured_queries)
    order = list(pages)
    shuffle = random.Random(12)
    for _ in range(runs):
        shuffle.shuffle(order)
        for page in order:
            elapsed, cpu = get(clients[page.username], page.url)
            page.timings.append(elapsed)
            page.cpu.append(cpu)


def report(pages: list[Page]) -> None:
    floors = {p.username: p for p in pages if p.key.startswith("floor")}
    columns = ["Page", "key", "median (ms)", "p95 (ms)", "× floor", "target"]
    columns += ["CPU median (ms)", "× floor, CPU", "queries"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for page in pages:
        floor = floors[page.username]
        ratio = page.median / floor.median
        cpu_ratio = page.cpu_median / floor.cpu_median
        target = TARGETS.get(page.key)
        verdict = ""
        if target is not None:
            verdict = f"≤ {target:g}× " + ("met" if ratio <= target else "missed")
        print(
            f"| {page.label} | {page.key} | {page.median:.1f} | {page.p95:.1f} | "
            f"{ratio:.2f}× | {verdict} | {page.cpu_median:.1f} | {cpu_ratio:.2f}× | "
            f"{page.queries} |"
        )


def profile(page: Page, client: Client, runs: int) -> None:
    for _ in range(2):
        get(client, page.url)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(runs):
        get(client, page.url)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", metavar="KEY", help="profile one page with pyinstrument")
    parser.add_argument("--cpip", default="cpip.demo", help="CPIP account (national: cpip.n00001)")
    parser.add_argument("--dpip", default="dpip.demo", help="DPIP account (national: dpip.n001)")
    parser.add_argument(
        "--secretariat", default="secretariat.demo", help="secretariat account ('' if none)"
    )
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["*"]
    names = [name for name in (args.cpip, args.dpip, args.secretariat) if name]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    cpip = users[args.cpip]
    # The charter is accepted once per user; the bench measures the pages behind it.
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(
        charter_accepted_at=timezone.now()
    )
    # The file measured is a typical one: a current measure with its obligations (most files
    # of a caseload; one without is lighter and flatters the ratio).
    mine = Person.objects.filter(referent=cpip).order_by("pk")
    typical = mine.filter(
        measures__status__in=CURRENT_STATUSES, measures__obligations__isnull=False
    )
    person = typical.first() or mine.first()
    assert person is not None, "run `make demo` first"
    pages = pages_to_measure(person, args.cpip, args.dpip, args.secretariat or None)
    clients: dict[str, Client] = {}
    for page in pages:
        if page.username not in clients:
            clients[page.username] = Client()
            clients[page.username].force_login(users[page.username])

    if args.profile:
        chosen = next(p for p in pages if p.key == args.profile)
        profile(chosen, clients[chosen.username], args.runs)
        return

    load = os.getloadavg()
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, database {connection.vendor}, "
        f"load average {load[0]:.2f} before"
    )
    print(f"People: {Person.objects.count()}, rounds: {args.runs} (every page once a round)")
    print(f"File measured: person #{person.pk} ({person.measures.count()} measure(s))\n")
    measure(pages, clients, args.runs)
    report(pages)
    print(f"\nLoad average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
