from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.measures"
    label = "measures"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.measures.panels.calendar",)
