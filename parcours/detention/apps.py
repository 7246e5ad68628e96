from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.detention"
    label = "detention"
    verbose_name = "Détention (milieu fermé)"
