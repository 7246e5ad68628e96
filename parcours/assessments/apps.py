from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.assessments"
    verbose_name = "Évaluations et autoévaluation numérique"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.assessments.panels.assessments",)
