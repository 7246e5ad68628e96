from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.notifications"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = (
        "parcours.notifications.panels.messages",
        "parcours.notifications.panels.inbound",
    )
