from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.alerts"
    label = "alerts"
    verbose_name = "Alertes"
