from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.checkins"
    label = "checkins"
    verbose_name = "Contrôle à distance"
