from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.space"
    verbose_name = "Espace personnel"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.space.panels.space_panel",)
