from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.breaches"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.breaches.panels.breaches",)
    # A manquement on an obligation keeps it in breach (obligations.compliance).
    obligation_breach_dates = ("parcours.breaches.compliance.latest_by_obligation",)
