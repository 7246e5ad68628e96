from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.checkins"
    verbose_name = "Contrôle à distance"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.checkins.panels.checkins",)
