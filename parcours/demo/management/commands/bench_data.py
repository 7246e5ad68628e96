"""`manage.py bench_data --scale 0.01`: the synthetic national dataset (parcours.demo.national)
for benchmarks and load tests, on an empty throwaway database."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from parcours.demo import national
from parcours.people.models import Person


class Command(BaseCommand):
    help = (
        "Génère le jeu de données national synthétique (banc d'essai) dans une base vide : "
        "103 SPIP, 4 000 CPIP et 300 000 personnes à l'échelle 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.01, help="1.0 = échelle nationale")
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument("--no-audit", action="store_true", help="sans lignes de journal")
        parser.add_argument(
            "--detenus",
            type=int,
            default=None,
            help="nombre de personnes détenues (par défaut : 85 000 × l'échelle)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Le jeu de données de banc d'essai crée des comptes au mot de passe de "
                "démonstration : il exige PARCOURS_DEMO=1 (jamais en production)."
            )
        scale = options["scale"]
        if not 0 < scale <= 2:
            raise CommandError("L'échelle doit être comprise entre 0 (exclu) et 2.")
        if options["detenus"] is not None and not 0 <= options["detenus"] <= 200_000:
            raise CommandError(
                "Le nombre de personnes détenues doit être compris entre 0 et 200 000."
            )
        if Person.objects.exists():
            raise CommandError(
                "Cette base contient déjà des personnes suivies : le générateur ne travaille que "
                "sur une base vide et jetable (créez-en une, `migrate`, puis relancez)."
            )
        start = time.perf_counter()
        counts = national.generate(
            scale,
            seed=options["seed"],
            log=self.stdout.write if options["verbosity"] >= 1 else None,
            audit=not options["no_audit"],
            detainees=options["detenus"],
        )
        total = time.perf_counter() - start
        rows = ", ".join(f"{label} {n}" for label, n in counts.rows.items())
        self.stdout.write(
            f"Échelle {scale} ({connection.vendor}) : {rows}. Durée totale : {total:.1f} s."
        )
