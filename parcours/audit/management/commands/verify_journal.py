"""`manage.py verify_journal`: checks the journal's hash chain (ADR 0003). Exit status 0 when
intact, 1 with the first broken link otherwise; run it nightly (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from parcours.audit import chain
from parcours.audit.verify import CHUNK, verify


class Command(BaseCommand):
    help = "Vérifie la chaîne d'empreintes du journal et nomme le premier maillon rompu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument("--chunk", type=int, default=CHUNK)

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify(options["database"], options["chunk"])
        if report.broken is not None:
            b = report.broken
            at = timezone.localtime(b.at).strftime("%d/%m/%Y %H:%M:%S")
            self.stderr.write(
                f"Journal rompu à l'événement n° {b.id} du {at} : {b.reason}.\n"
                f"  attendu : {b.expected}\n  trouvé  : {b.found}\n"
                f"({report.checked} événements vérifiés avant lui.)"
            )
            raise SystemExit(1)
        self.stdout.write(f"Journal intègre : {report.checked} événements vérifiés.")
        self.stdout.write(f"Dernière empreinte : {report.head}")
        if report.anchor != chain.GENESIS:
            self.stdout.write(f"La chaîne commence à l'ancre de purge {report.anchor}.")
