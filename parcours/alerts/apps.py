from django.apps import AppConfig

from parcours.detention.signals import receive_ecrou_changes
from parcours.measures.signals import receive_measure_changes


class Config(AppConfig):
    name = "parcours.alerts"
    label = "alerts"
    verbose_name = "Alertes"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.alerts.panels.alerts",)

    def ready(self) -> None:
        receive_measure_changes("parcours.alerts.services.on_measure_changed")
        # An écrou moves the person's incarceration periods (detention.signals).
        receive_ecrou_changes("parcours.alerts.services.on_measure_changed")
