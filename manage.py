#!/usr/bin/env python
"""Django's command-line utility for Parcours."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from parcours.core.checks import SERVING_COMMANDS, refuse_unsafe_start

    if len(sys.argv) > 1 and sys.argv[1] in SERVING_COMMANDS:
        # The processes that serve users or run the queue refuse unsafe production settings
        # (parcours/core/checks.py; development: DJANGO_DEBUG=1 or PARCOURS_DEMO=1).
        import django
        from django.core.exceptions import ImproperlyConfigured

        django.setup()
        try:
            refuse_unsafe_start()
        except ImproperlyConfigured as error:
            sys.exit(str(error))
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
