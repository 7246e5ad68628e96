"""`manage.py reseal_second_factor`: seals every TOTP key again under the current secret key,
after a rotation (docs/operations.md, "Rotating the secret key"; docs/adr/0029)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parcours.accounts.mfa import reseal_all


class Command(BaseCommand):
    help = (
        "Rescelle les clés de double authentification sous la clé secrète actuelle, après un "
        "changement de DJANGO_SECRET_KEY (l'ancienne restant dans DJANGO_SECRET_KEY_FALLBACKS "
        "le temps de la commande)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        resealed, broken = reseal_all()
        self.stdout.write(f"{resealed} clé(s) rescellée(s) sous la clé secrète actuelle.")
        if broken:
            self.stderr.write(
                f"{broken} clé(s) qu'aucune clé secrète configurée n'ouvre : leurs titulaires "
                "doivent faire réinitialiser leur double authentification par un administrateur."
            )
