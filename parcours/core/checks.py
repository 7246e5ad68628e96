"""Production refuses to start unsafely (issue 14, finding 3).

Without `DJANGO_SECRET_KEY` the settings fall back to the development key written in the
repository, so that tests, `make quality` and `make run` work on a fresh clone; anyone can read
that key and forge signed values with it (SMS STOP links, password-reset tokens, sessions). So:

- `manage.py check --deploy` reports errors parcours.E001–E006 (custom system checks; E005: the
  two-factor sign-in switched off; E006: the inbound SMS secret missing with the http backend);
- a production process refuses to start: `config/wsgi.py` (gunicorn) and the long-running
  commands of `manage.py` (runserver, db_worker, run_scheduler) call `refuse_unsafe_start()`,
  which raises ImproperlyConfigured with every problem, unless DEBUG or the demo mode is on.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}
# Commands that serve users or run the queue: they check the configuration before starting.
SERVING_COMMANDS = {"runserver", "db_worker", "run_scheduler"}


def production_problems() -> list[tuple[str, str]]:
    """(check id, French message) for each unsafe production setting."""
    problems: list[tuple[str, str]] = []
    key = getattr(settings, "SECRET_KEY", "") or ""
    if not getattr(settings, "SECRET_KEY_FROM_ENVIRONMENT", False):
        problems.append(
            (
                "parcours.E001",
                "DJANGO_SECRET_KEY n'est pas défini : la clé de développement publiée dans le "
                "dépôt serait utilisée. Définissez une clé secrète aléatoire (50 caractères ou "
                "plus).",
            )
        )
    elif key == settings.DEV_SECRET_KEY:
        problems.append(
            (
                "parcours.E002",
                "DJANGO_SECRET_KEY est égale à la clé de développement publiée dans le dépôt : "
                "choisissez une clé secrète aléatoire.",
            )
        )
    elif len(key) < 50 or len(set(key)) < 5:
        problems.append(
            (
                "parcours.E002",
                "DJANGO_SECRET_KEY est trop courte ou trop simple (50 caractères et 5 caractères "
                "différents au moins).",
            )
        )
    hosts = [h.strip() for h in getattr(settings, "ALLOWED_HOSTS", []) if h.strip()]
    public_hosts = [h for h in hosts if h not in LOCAL_HOSTS]
    if not getattr(settings, "ALLOWED_HOSTS_FROM_ENVIRONMENT", False) or not public_hosts:
        problems.append(
            (
                "parcours.E003",
                "DJANGO_ALLOWED_HOSTS n'indique aucun nom d'hôte public (par exemple "
                "parcours.justice.fr).",
            )
        )
    elif "*" in hosts:
        problems.append(("parcours.E003", "DJANGO_ALLOWED_HOSTS ne doit pas contenir « * »."))
    public_url = getattr(settings, "PARCOURS_PUBLIC_URL", "") or ""
    parts = urlsplit(public_url)
    if not getattr(settings, "PUBLIC_URL_FROM_ENVIRONMENT", False) or not parts.hostname:
        problems.append(
            (
                "parcours.E004",
                "PARCOURS_PUBLIC_URL n'est pas défini : indiquez l'adresse publique de Parcours "
                "(https://…), utilisée dans les liens envoyés par SMS et par courriel.",
            )
        )
    elif parts.scheme != "https" or parts.hostname in LOCAL_HOSTS:
        problems.append(
            (
                "parcours.E004",
                f"PARCOURS_PUBLIC_URL ({public_url}) doit être une adresse https publique.",
            )
        )
    if not getattr(settings, "PARCOURS_MFA_REQUIRED", True):
        problems.append(
            (
                "parcours.E005",
                "PARCOURS_MFA_REQUIRED est désactivé : la double authentification doit être "
                "exigée en production (administrateurs, encadrement, accès exceptionnels, "
                "exports).",
            )
        )
    inbound_secret = getattr(settings, "PARCOURS_SMS_INBOUND_SECRET", "") or ""
    if getattr(settings, "PARCOURS_SMS_BACKEND", "") == "http" and len(inbound_secret) < 32:
        problems.append(
            (
                "parcours.E006",
                "PARCOURS_SMS_INBOUND_SECRET n'est pas défini ou fait moins de 32 caractères : "
                "les SMS reçus du prestataire ne pourraient pas être authentifiés.",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [Error(message, id=check_id) for check_id, message in production_problems()]


def is_development() -> bool:
    return bool(settings.DEBUG or getattr(settings, "DEMO_MODE", False))


def refuse_unsafe_start() -> None:
    """Raises ImproperlyConfigured (every problem listed) when a production process would start
    with unsafe settings; development (DEBUG) and the demo (`make run`) start as before."""
    if is_development():
        return
    problems = production_problems()
    if problems:
        lines = "\n".join(f"- [{check_id}] {message}" for check_id, message in problems)
        raise ImproperlyConfigured(
            "Parcours refuse de démarrer en production avec cette configuration :\n"
            f"{lines}\n(En développement : DJANGO_DEBUG=1 ou PARCOURS_DEMO=1.)"
        )
