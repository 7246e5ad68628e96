from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.adjustments"
    verbose_name = "Aménagements, CAP et préparation à la sortie"

    def ready(self) -> None:
        # The avis à la CAP's "proposition" section (reports.prefill registry).
        from . import prefill  # noqa: F401
