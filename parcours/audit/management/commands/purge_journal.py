"""`manage.py purge_journal --before YYYY-MM-DD`: removes the journal's rows older than the date,
as the database OWNER only (the application's role cannot: ADR 0003, docs/operations.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from parcours.audit.purge import purge_before


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Date invalide « {text} » : attendu AAAA-MM-JJ.") from exc


class Command(BaseCommand):
    help = "Supprime les événements du journal antérieurs à une date (propriétaire de la base)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["before"])
        if day >= timezone.localdate():
            raise CommandError("La date doit être passée : le journal du jour est conservé.")
        try:
            purged = purge_before(day, using=options["database"])
        except DatabaseError as exc:
            raise CommandError(
                f"Purge refusée par la base ({exc}). Elle se lance avec le rôle propriétaire "
                "des tables, pas avec celui de l'application."
            ) from exc
        if not purged.removed:
            self.stdout.write(f"Aucun événement antérieur au {day:%d/%m/%Y}.")
            return
        self.stdout.write(
            f"{purged.removed} événement(s) supprimé(s) jusqu'au n° {purged.last_removed_id} ; "
            f"nouvelle ancre de la chaîne : {purged.anchor}"
        )
