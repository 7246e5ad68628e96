from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.demo.seed import seed


class Command(BaseCommand):
    help = "Loads the synthetic demo data and demo accounts (demo mode only). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=800)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Les données de démonstration exigent PARCOURS_DEMO=1.")
        result = seed(total_people=options["people"])
        self.stdout.write(
            f"Démonstration : {result['users']} compte(s) et {result['people']} personne(s) créés."
        )
