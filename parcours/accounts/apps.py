from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import mfa, signals  # noqa: F401
