"""Deletes the SMS received from numbers that matched nobody, after
PARCOURS_SMS_INBOUND_UNKNOWN_DAYS days (30 by default). Nightly (settings.PARCOURS_SCHEDULE)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parcours.notifications.inbound import purge_unknown_inbound


class Command(BaseCommand):
    help = "Supprime les SMS reçus de numéros inconnus après le délai de conservation."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_unknown_inbound()
        self.stdout.write(f"{deleted} SMS de numéro inconnu supprimé(s).")
