from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.alerts"
    verbose_name = "Alertes"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.alerts.panels.alerts",)
    # Recomputed at once when a measure or an écrou changes (measures.apps, detention.apps).
    measure_change_receivers = ("parcours.alerts.services.on_measure_changed",)
