from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.ledgers"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.ledgers.panels.ledgers",)
