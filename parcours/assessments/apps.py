from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.assessments"
    label = "assessments"
    verbose_name = "Évaluations et autoévaluation numérique"
