from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.lifecycle"
    verbose_name = "Cycle de vie des données"
