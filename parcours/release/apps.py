from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.release"
    verbose_name = "Préparation à la sortie"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.release.panels.release_panel",)
