from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.breaches"
    label = "breaches"
