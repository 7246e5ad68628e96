from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from parcours.accounts.demo import demo_accounts_text


class Command(BaseCommand):
    help = "Prints the demo accounts and their shared password (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEMO_MODE:
            self.stdout.write(demo_accounts_text(settings.DEMO_PASSWORD))
