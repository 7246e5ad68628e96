from django.apps import AppConfig
from django.utils.module_loading import import_string

from parcours.measures.signals import measure_changed


class Config(AppConfig):
    name = "parcours.alerts"
    label = "alerts"
    verbose_name = "Alertes"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.alerts.panels.alerts",)

    def ready(self) -> None:
        # The receiver's module reads the models: named by its path, imported once they are.
        measure_changed.connect(
            import_string("parcours.alerts.services.on_measure_changed"),
            dispatch_uid="alerts.recompute_alerts",
        )
