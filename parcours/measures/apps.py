from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.measures"
    label = "measures"
