from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.handovers"
    verbose_name = "Changements de SPIP (dessaisissements)"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.handovers.panels.handover_panel",)
