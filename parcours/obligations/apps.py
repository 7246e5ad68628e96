from django.apps import AppConfig
from django.utils.module_loading import import_string

from parcours.measures.signals import measure_changed


class Config(AppConfig):
    name = "parcours.obligations"
    label = "obligations"
    verbose_name = "Obligations et justificatifs"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.obligations.panels.measures",)

    def ready(self) -> None:
        # The receiver's module reads the models: named by its path, imported once they are.
        measure_changed.connect(
            import_string("parcours.obligations.compliance.on_measure_changed"),
            dispatch_uid="obligations.refresh_compliance",
        )
