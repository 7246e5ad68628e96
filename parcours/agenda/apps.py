from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.agenda"
    label = "agenda"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.agenda.panels.appointments",)
