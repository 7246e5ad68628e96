from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.adjustments"
    label = "adjustments"
    verbose_name = "Aménagements, CAP et préparation à la sortie"
