from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.accounts"

    def ready(self) -> None:
        from . import mfa, signals  # noqa: F401
