from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.space"
    label = "space"
    verbose_name = "Espace personnel"
