from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.partners"
    label = "partners"
    verbose_name = "Partenaires et orientations"
