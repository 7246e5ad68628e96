"""Sends every due message of the outbox (catch-up; safe next to running workers).

Cron-friendly: `manage.py send_due_messages` every few minutes sends what the worker has not sent
(a task lost in a crash, messages written while the queue was down, ImmediateBackend in tests).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parcours.notifications.tasks import send_due_messages
from parcours.rules.french import count_phrase


class Command(BaseCommand):
    help = "Envoie les messages (SMS, courriels) arrivés à échéance dans la file d'envoi."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="Nombre maximal de messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due_messages(limit=options["limit"])
        total = sum(counts.values())
        detail = ", ".join(f"{key} : {value}" for key, value in sorted(counts.items()))
        done = count_phrase(total, "message traité", "messages traités")
        self.stdout.write(f"{done}{' — ' + detail if detail else ''}.")
