from django.apps import AppConfig


class Config(AppConfig):
    name = "parcours.partners"
    verbose_name = "Partenaires et orientations"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.partners.panels.referrals_panel",)
    # The referrals made from a plan step, beside the step (plans.selectors.attach_links).
    plan_step_links = ("parcours.partners.selectors.step_links",)
