from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.release"
    label = "release"
    verbose_name = "Préparation à la sortie"
