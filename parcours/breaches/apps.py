from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.breaches"
    label = "breaches"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.breaches.panels.breaches",)
