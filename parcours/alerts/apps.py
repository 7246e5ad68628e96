from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.alerts"
    label = "alerts"
    verbose_name = "Alertes"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.alerts.panels.alerts",)
