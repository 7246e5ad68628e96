from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.plans"
    label = "plans"
    verbose_name = "Plans d'accompagnement"
