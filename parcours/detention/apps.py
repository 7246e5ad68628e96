from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.detention"
    label = "detention"
    verbose_name = "Détention (milieu fermé)"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = (
        "parcours.detention.panels.situation",
        "parcours.detention.panels.detention",
    )
