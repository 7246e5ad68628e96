from django.apps import AppConfig, apps

from .signals import receive_ecrou_changes


class Config(AppConfig):
    name = "parcours.detention"
    verbose_name = "Détention (milieu fermé)"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = (
        "parcours.detention.panels.situation",
        "parcours.detention.panels.detention",
    )

    def ready(self) -> None:
        # An écrou moves the person's incarceration periods, which suspend the measures: what
        # recomputes the people on a measure's change recomputes them on an écrou's change too
        # (detention.signals).
        for config in apps.get_app_configs():
            for path in getattr(config, "measure_change_receivers", ()):
                receive_ecrou_changes(path)
