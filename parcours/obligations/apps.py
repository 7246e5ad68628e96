from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.obligations"
    label = "obligations"
    verbose_name = "Obligations et justificatifs"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.obligations.panels.measures",)
