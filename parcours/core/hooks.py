"""The hooks an app offers to the apps below it: a lower app cannot import a higher one, so the
higher one names its functions (dotted paths) on its AppConfig, under an attribute the lower app
chooses, and the lower app calls them (`obligation_breach_dates`, `alert_sources`…)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string


def app_hooks(attribute: str) -> tuple[Any, ...]:
    """The functions the installed apps name on their AppConfig under `attribute`, in the order
    of INSTALLED_APPS."""
    return tuple(
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, attribute, ())
    )
