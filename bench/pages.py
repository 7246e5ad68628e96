"""Server time of the main pages on the demo dataset (run by `make bench`).

Uses Django's test client in-process (no network, no browser): this measures the view, the
queries and the template rendering — the server's share of a page. Each page is requested
`--runs` times after a warm-up; median and p95 are reported with the query count.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PARCOURS_DEMO", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from parcours.accounts.models import User
    from parcours.people.models import Person

    settings.ALLOWED_HOSTS = ["*"]
    cpip = User.objects.get(username="cpip.demo")
    dpip = User.objects.get(username="dpip.demo")
    secretariat = User.objects.get(username="secretariat.demo")
    # The charter is accepted once per user; the bench measures the pages behind it.
    User.objects.filter(pk__in=[cpip.pk, dpip.pk, secretariat.pk]).update(
        charter_accepted_at=timezone.now()
    )
    person = Person.objects.filter(referent=cpip).order_by("pk").first()
    assert person is not None, "run `make demo` first"
    pages = [
        ("Mes personnes suivies (CPIP)", cpip, "/personnes/"),
        ("Recherche par nom (service)", cpip, "/personnes/?perimetre=service&q=mar"),
        ("Dossier d'une personne", cpip, f"/personnes/{person.public_id}/"),
        ("Personnes du service (DPIP)", dpip, "/personnes/"),
        ("Mon équipe (DPIP)", dpip, "/personnes/equipe/"),
        ("Journal des accès (DPIP)", dpip, "/journal/"),
        ("Agenda du jour (CPIP)", cpip, "/agenda/"),
        ("Accueil du jour (secrétariat)", secretariat, "/agenda/accueil/"),
        (
            "Fixer un rendez-vous (formulaire)",
            cpip,
            f"/agenda/personne/{person.public_id}/rendez-vous/",
        ),
        ("Indicateurs (DPIP, 90 jours)", dpip, "/agenda/indicateurs/"),
        ("Messages (DPIP)", dpip, "/notifications/"),
    ]
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, database {connection.vendor}"
    )
    print(f"People: {Person.objects.count()}, runs per page: {args.runs}\n")
    print("| Page | median (ms) | p95 (ms) | queries |")
    print("|---|---|---|---|")
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        client.get(url)
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"| {label} | {statistics.median(timings):.1f} | {p95:.1f} | "
            f"{len(ctx.captured_queries)} |"
        )


if __name__ == "__main__":
    main()
