from django.apps import AppConfig

from parcours.detention.signals import receive_ecrou_changes
from parcours.measures.signals import receive_measure_changes


class Config(AppConfig):
    name = "parcours.obligations"
    label = "obligations"
    verbose_name = "Obligations et justificatifs"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.obligations.panels.measures",)

    def ready(self) -> None:
        receive_measure_changes("parcours.obligations.compliance.on_measure_changed")
        # An écrou moves the person's incarceration periods (detention.signals).
        receive_ecrou_changes("parcours.obligations.compliance.on_measure_changed")
