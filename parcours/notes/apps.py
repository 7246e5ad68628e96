from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.notes"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.notes.panels.notes",)
