from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.notifications"
    label = "notifications"
