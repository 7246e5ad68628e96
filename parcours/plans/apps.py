from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.plans"
    verbose_name = "Plans d'accompagnement"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.plans.panels.plan_panel",)
    # The steps of the plans in force in "À traiter" (alerts.services.recompute_alerts).
    alert_sources = ("parcours.plans.todo.sync_step_alerts",)
