from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.people"
    label = "people"
