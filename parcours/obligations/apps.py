from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.obligations"
    label = "obligations"
    verbose_name = "Obligations et justificatifs"
