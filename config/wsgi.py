"""WSGI entry point (gunicorn config.wsgi:application). Refuses to start with unsafe production
settings (parcours/core/checks.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from parcours.core.checks import refuse_unsafe_start  # noqa: E402 — needs the apps loaded

refuse_unsafe_start()
