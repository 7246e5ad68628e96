from django.apps import AppConfig, apps

from .signals import receive_measure_changes


class Config(AppConfig):
    name = "parcours.measures"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.measures.panels.calendar",)

    def ready(self) -> None:
        # The apps above name, under `measure_change_receivers`, what recomputes the people whose
        # measures changed (measures.signals).
        for config in apps.get_app_configs():
            for path in getattr(config, "measure_change_receivers", ()):
                receive_measure_changes(path)
