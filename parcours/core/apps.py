from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.core"

    def ready(self) -> None:
        from . import checks  # noqa: F401 — registers the production checks
