from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.people"
    label = "people"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = (
        "parcours.people.panels.identity",
        "parcours.people.panels.history",
    )
