from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.obligations"
    verbose_name = "Obligations et justificatifs"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.obligations.panels.measures",)
    # Recomputed at once when a measure or an écrou changes (measures.apps, detention.apps).
    measure_change_receivers = ("parcours.obligations.compliance.on_measure_changed",)
